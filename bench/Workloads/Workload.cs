namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// What a benchmark does with its channel (<see cref="ChannelWorkloads"/> runs it). One operation is one item
/// through the channel unless said otherwise; every workload checks what it received.
/// </summary>
public enum Workload
{
    /// <summary>
    /// Latency: a pinger writes to a request channel and awaits the echo from a reply channel. One operation is
    /// one round trip (two hand-offs, two wake-ups).
    /// </summary>
    PingPong,

    /// <summary>One WriteAsync producer, one ReadAsync consumer.</summary>
    OneToOne,

    /// <summary>Four WriteAsync producers, four ReadAsync consumers on one channel (more parties than cores here).</summary>
    FourToFour,

    /// <summary>
    /// One to one, both sides passing a cancelable, never-canceled token: every wait registers and unregisters
    /// a cancellation callback, which <see cref="System.Threading.CancellationToken.None"/> lets it skip.
    /// </summary>
    CancelableToken,

    /// <summary>One WriteAsync producer, one consumer in <c>await foreach</c> over ReadAllAsync.</summary>
    ReadAll,

    /// <summary>
    /// The uncontended fast path: one thread alternates TryWrite and TryRead, so the channel never waits nor
    /// wakes anyone. One operation is one pair. Buffered channels only (a rendezvous TryWrite needs a waiting reader).
    /// </summary>
    TryWriteTryRead,
}
