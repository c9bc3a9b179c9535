// IChainHost: what the continuation trampolines and their rescuer need from the outside world (a clock, a
// periodic tick, the thread pool, whether a thread is alive), so that a systematic test can play each part.

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// The outside world of the chaining state machine (<see cref="ContinuationTrampoline"/> and
/// <see cref="StalledChainRescuer"/>). In the library it is <see cref="ThreadPoolChainHost"/>: the thread pool, a
/// ticker work item and <c>Environment.TickCount64</c>. A test can substitute its own to drive the owner, the waker and the
/// rescuer as explicit participants, with no thread statics or timers.
/// </summary>
internal interface IChainHost
{
    /// <summary>A millisecond clock for back-offs (<c>Environment.TickCount64</c>).</summary>
    long NowMilliseconds { get; }

    /// <summary>Starts calling <see cref="StalledChainRescuer.OnTick"/> every <see cref="StalledChainRescuer.PeriodMicroseconds"/>.</summary>
    void StartTicking();

    /// <summary>Stops the ticks (a late tick may still arrive; the rescuer ignores it).</summary>
    void StopTicking();

    /// <summary>
    /// While ticking: a chain started holding deferred work after an idle tick; a host that ticks at two speeds
    /// goes back to the fast one. A host with one speed ignores it.
    /// </summary>
    void Hurry()
    {
    }

    /// <summary>Queues a continuation taken off a chain to the thread pool's global queue.</summary>
    void Queue(ITrampolineWorkItem item);

    /// <summary>Whether the thread that owns a trampoline (see <see cref="StalledChainRescuer.Attach"/>) is still alive.</summary>
    bool IsAlive(object owner);
}
