namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>Which of our channels a benchmark runs: what a <see cref="PlantedSlowdown"/> may be narrowed to.</summary>
public enum ChannelFamily
{
    /// <summary><see cref="RendezvousChannel{T}"/> (against <c>Channel.CreateBounded(0)</c>).</summary>
    Rendezvous,

    /// <summary><see cref="RingBufferChannel{T}"/>, any capacity (against <c>Channel.CreateBounded(capacity)</c>).</summary>
    Ring,
}
