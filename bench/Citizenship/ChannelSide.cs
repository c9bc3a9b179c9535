namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Whose channels a scenario runs on, and in which continuation mode.</summary>
internal enum ChannelSide
{
    /// <summary><c>Channel.CreateBounded&lt;T&gt;(capacity)</c>, default options (capacity 0: the BCL's unbuffered channel).</summary>
    Bcl,

    /// <summary><see cref="RendezvousChannel{T}"/> (capacity 0) or <see cref="RingBufferChannel{T}"/> in <see cref="ContinuationMode.ThreadPool"/> mode.</summary>
    OursThreadPool,

    /// <summary>Ours in <see cref="ContinuationMode.Chained"/> mode.</summary>
    OursChained,
}
