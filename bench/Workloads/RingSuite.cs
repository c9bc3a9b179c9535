using System;
using System.Collections.Generic;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// <see cref="RingBufferChannel{T}"/> against <c>Channel.CreateBounded&lt;int&gt;(capacity)</c> (FullMode Wait,
/// the same semantics) at each capacity, through every workload.
/// </summary>
public class RingSuite : ChannelSuite
{
    /// <summary>1: every item is a hand-off, as in a rendezvous; 16: short bursts; 1024: rarely full or empty.</summary>
    [Params(1, 16, 1024)]
    public int Capacity { get; set; }

    public override IEnumerable<Workload> Workloads => Enum.GetValues<Workload>();

    protected override Channel<int> CreateOurs() => new RingBufferChannel<int>(Capacity);

    protected override Channel<int> CreateBcl() => Channel.CreateBounded<int>(Capacity);
}
