using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// One WriteAsync producer, one consumer draining with <c>await foreach</c> over ReadAllAsync (WaitToReadAsync
/// plus TryRead). One operation is one item.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RingReadAll : RingSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferToReadAllAsync(OurChannel, Items));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferToReadAllAsync(BaselineChannel, Items));
}
