using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// One producer, one consumer, both passing a cancelable (never canceled) token: whenever the ring is full or
/// empty the waiting side registers and unregisters a cancellation callback.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RingCancelableToken : RingSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 1, 1, Items, NeverCanceled.Token));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 1, 1, Items, NeverCanceled.Token));
}
