using System.Threading;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// Four WriteAsync producers, four ReadAsync consumers on one channel: contention on both ends of the ring
/// (on a 2-core machine, also more parties than cores). One operation is one item through the channel.
/// </summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RingFourToFour : RingSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 4, 4, Items, CancellationToken.None));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 4, 4, Items, CancellationToken.None));
}
