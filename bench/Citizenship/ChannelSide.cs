namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Whose channels a scenario runs on, and in which continuation mode.</summary>
internal enum ChannelSide
{
    /// <summary><c>Channel.CreateBounded&lt;T&gt;(capacity)</c>, default options (capacity 0: the BCL's unbuffered channel).</summary>
    Bcl,

    /// <summary><see cref="RendezvousChannel{T}"/> (capacity 0) or <see cref="RingBufferChannel{T}"/>, default options (<see cref="ContinuationMode.Chained"/>).</summary>
    Ours,

    /// <summary>Ours with <see cref="ContinuationMode.ThreadPool"/>.</summary>
    OursThreadPool,
}
