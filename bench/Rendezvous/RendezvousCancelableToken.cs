using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>
/// One producer, one consumer, both passing a cancelable (never canceled) token: every parked operation
/// registers and unregisters a cancellation callback, which the plain suites never pay for.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RendezvousCancelableToken : RendezvousSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RendezvousChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 1, 1, Items, NeverCanceled.Token));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded0() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 1, 1, Items, NeverCanceled.Token));
}
