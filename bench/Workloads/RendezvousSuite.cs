using System.Collections.Generic;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// <see cref="RendezvousChannel{T}"/> against <c>Channel.CreateBounded&lt;int&gt;(0)</c>, the BCL's own unbuffered
/// channel (same semantics), with <c>Channel.CreateUnbounded&lt;int&gt;()</c> as a reference row that shows what
/// buffering buys, and the async floor of a hand-off (<see cref="AsyncFloor"/>) as a second reference row.
/// </summary>
public class RendezvousSuite : ChannelSuite
{
    public override IEnumerable<Workload> Workloads =>
        [Workload.PingPong, Workload.OneToOne, Workload.FourToFour, Workload.CancelableToken, Workload.ReadAll];

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(BclCategory)]
    public void BclUnbounded() => RunOnUnbounded();

    /// <summary>
    /// The async floor: the workload's loops meeting through a single-threaded rendezvous with no atomics, resumed
    /// by one plain loop (no thread pool); what .NET's async machinery itself costs per hand-off (round trip for
    /// ping-pong). A reference row, never judged.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(FloorCategory)]
    public void AsyncFloor() => AsyncFloorWorkloads.Run(Workload, Operations);

    protected override Channel<int> CreateOurs() => new RendezvousChannel<int>();

    protected override Channel<int> CreateBcl() => Channel.CreateBounded<int>(0);
}
