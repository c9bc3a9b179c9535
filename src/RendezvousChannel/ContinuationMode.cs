// ContinuationMode: where the continuation of a woken channel operation runs (a per-channel choice).

namespace Rendezvous.Channels;

/// <summary>
/// Where the continuation of an operation woken by a partner runs, when its awaiter captured no
/// SynchronizationContext or TaskScheduler (those are always honoured). Chosen per channel with
/// <see cref="HandOffChannelOptions.ContinuationMode"/>; the AppContext switch
/// <c>RendezvousChannel.DisableContinuationChaining</c> forces <see cref="ThreadPool"/> on every channel of the process.
/// </summary>
public enum ContinuationMode
{
    /// <summary>
    /// The default, the thread pool's good citizen: every woken continuation is queued to the thread pool's global
    /// queue, as <c>Channel.CreateBounded</c> does. Unrelated work, blocking consumers and CPU-heavy stages see the
    /// pool behave as it would with the BCL's channels.
    /// </summary>
    ThreadPool = 0,

    /// <summary>
    /// Faster hand-offs between async loops: a continuation woken from inside another channel continuation runs next
    /// on the same worker, once the waking one returns (Go's <c>runnext</c>), instead of through the pool's queue. A
    /// chain runs for about a hundred microseconds, then yields to the pool's global queue; a thread whose chained
    /// continuations run long (CPU-heavy stages) or block (sync-over-async: a rescuer steals what they woke, within
    /// tens of microseconds while it ticks fast, which it does when it starts and after a steal, else within one
    /// or two milliseconds) stops chaining for a while. Every other wake-up goes to the global queue, as in
    /// <see cref="ThreadPool"/> mode.
    /// </summary>
    Chained = 1,
}
