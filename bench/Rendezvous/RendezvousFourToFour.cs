using System.Threading;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>
/// Four WriteAsync producers, four ReadAsync consumers on one channel: contention on both sides (on a 2-core
/// machine, also more parties than cores). One operation is one item handed over.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RendezvousFourToFour : RendezvousSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RendezvousChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 4, 4, Items, CancellationToken.None));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded0() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 4, 4, Items, CancellationToken.None));
}
