using System.Threading;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>One WriteAsync producer, one ReadAsync consumer; one operation is one item handed over.</summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RendezvousOneToOne : RendezvousSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RendezvousChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 1, 1, Items, CancellationToken.None));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded0() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 1, 1, Items, CancellationToken.None));

    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclUnbounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(UnboundedChannel, 1, 1, Items, CancellationToken.None));
}
