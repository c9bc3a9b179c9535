using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// The uncontended fast path: one thread alternates TryWrite and TryRead, so the channel never waits and
/// never wakes anyone. One operation is one TryWrite+TryRead pair. No threading diagnoser: one thread.
/// </summary>
[MemoryDiagnoser]
public class RingTryWriteTryRead : RingSuite
{
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Ours)]
    public void RingBufferChannel() =>
        ChannelWorkloads.TryWriteThenTryRead(OurChannel, Items);

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(RoleCategory.Bcl)]
    public void BclBounded() =>
        ChannelWorkloads.TryWriteThenTryRead(BaselineChannel, Items);
}
