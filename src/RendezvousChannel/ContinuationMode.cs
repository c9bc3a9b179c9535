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
    /// Every woken continuation is queued to the thread pool's global queue, exactly as <c>Channel.CreateBounded</c>
    /// does: the pool behaves as it would with the BCL's channels, at the BCL's speed (a thread-pool dispatch per
    /// hand-off). For code that must see exactly the BCL's scheduling.
    /// </summary>
    ThreadPool = 0,

    /// <summary>
    /// The default: faster hand-offs between async loops, as good a citizen of the pool as <see cref="ThreadPool"/>
    /// in the measured scenarios (CPU-heavy stages, unrelated work, sync-over-async, a low-rate service, thread
    /// state; README's "Where continuations run"). A continuation woken from inside another channel continuation runs next
    /// on the same worker, once the waking one returns (Go's <c>runnext</c>), instead of through the pool's queue. A
    /// chain runs for about a hundred microseconds, then yields to the pool's global queue; a thread whose chained
    /// continuations run long (CPU-heavy stages) or block (sync-over-async: a rescuer steals what they woke, within
    /// tens of microseconds while it ticks fast, which it does when it starts and after a steal, else within a few
    /// milliseconds) stops chaining for a while. Every other wake-up goes to the global queue, as in
    /// <see cref="ThreadPool"/> mode.
    /// </summary>
    Chained = 1,
}
