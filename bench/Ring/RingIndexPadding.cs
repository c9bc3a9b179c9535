using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;
using Rendezvous.Channels.Internal;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// The padding experiment: the ring RingBufferChannel uses, with its head and tail indices 128 bytes apart
/// (the shipped layout, the baseline), 64 bytes apart, and side by side on one cache line. One producer thread
/// and one consumer thread spin through a 1024-slot ring; one operation is one item (ns/item).
/// </summary>
/// <remarks>
/// The ring types are internal (visible to this assembly only), so they appear only inside method bodies:
/// BenchmarkDotNet's generated code, a separate assembly, sees just this public class.
/// </remarks>
[MemoryDiagnoser]
public class RingIndexPadding
{
    private const int Items = 1 << 16;
    private const int Capacity = 1024;

    private BoundedItemRing<int, PaddedIndices128> _padded128 = null!;
    private BoundedItemRing<int, PaddedIndices64> _padded64 = null!;
    private BoundedItemRing<int, UnpaddedIndices> _unpadded = null!;

    [GlobalSetup]
    public void CreateRings()
    {
        _padded128 = new BoundedItemRing<int, PaddedIndices128>(Capacity);
        _padded64 = new BoundedItemRing<int, PaddedIndices64>(Capacity);
        _unpadded = new BoundedItemRing<int, UnpaddedIndices>(Capacity);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void Padded128() => WorkloadCompletion.Wait(RingWorkloads.SpinTransferAsync(_padded128, Items));

    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void Padded64() => WorkloadCompletion.Wait(RingWorkloads.SpinTransferAsync(_padded64, Items));

    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void Unpadded() => WorkloadCompletion.Wait(RingWorkloads.SpinTransferAsync(_unpadded, Items));
}
