namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>Which channels a <see cref="SelectSuite"/> case selects over: ours and the BCL's of the same semantics.</summary>
public enum SelectChannelKind
{
    /// <summary><see cref="RendezvousChannel{T}"/>; the BCL side is <c>Channel.CreateBounded&lt;int&gt;(0)</c>.</summary>
    Rendezvous,

    /// <summary><see cref="RingBufferChannel{T}"/> of capacity 1024; the BCL side is <c>Channel.CreateBounded&lt;int&gt;(1024)</c>.</summary>
    Ring1024,
}
