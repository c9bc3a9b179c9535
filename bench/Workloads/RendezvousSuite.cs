using System.Collections.Generic;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// <see cref="RendezvousChannel{T}"/> against <c>Channel.CreateBounded&lt;int&gt;(0)</c>, the BCL's own unbuffered
/// channel (same semantics), with <c>Channel.CreateUnbounded&lt;int&gt;()</c> as a reference row that shows what
/// buffering buys.
/// </summary>
public class RendezvousSuite : ChannelSuite
{
    public override IEnumerable<Workload> Workloads =>
        [Workload.PingPong, Workload.OneToOne, Workload.FourToFour, Workload.CancelableToken, Workload.ReadAll];

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(BclCategory)]
    public void BclUnbounded() => RunOnUnbounded();

    protected override Channel<int> CreateOurs() => new RendezvousChannel<int>();

    protected override Channel<int> CreateBcl() => Channel.CreateBounded<int>(0);
}
