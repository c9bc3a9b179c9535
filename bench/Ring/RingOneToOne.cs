using System.Threading;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>One WriteAsync producer, one ReadAsync consumer; one operation is one item through the channel.</summary>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class RingOneToOne : RingSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(OurChannel, 1, 1, Items, CancellationToken.None));

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        WorkloadCompletion.Wait(ChannelWorkloads.TransferAsync(BaselineChannel, 1, 1, Items, CancellationToken.None));
}
