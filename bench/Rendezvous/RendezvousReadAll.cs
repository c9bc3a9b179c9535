using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>
/// One WriteAsync producer, one consumer draining with <c>await foreach</c> over ReadAllAsync (WaitToReadAsync
/// plus TryRead, which on a rendezvous channel takes the item of a parked writer). One operation is one item.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RendezvousReadAll : RendezvousSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RendezvousChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferToReadAllAsync(OurChannel, Items));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded0() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferToReadAllAsync(BaselineChannel, Items));
}
