// StalledChainRescuer: the periodic tick that steals deferred continuations from stalled chains, as Go's idle processors
// steal a runnext goroutine whose processor has not returned to its scheduler.

using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// The thief that keeps <see cref="ContinuationTrampoline"/> safe: a periodic tick that, while any chain holds
/// deferred continuations, looks every <see cref="PeriodMicroseconds"/> at each trampoline and hands to the thread
/// pool the deferred continuations of a chain whose running continuation has not returned since the previous look.
/// Code that blocks a chained continuation until a continuation it woke has run (sync-over-async) therefore waits
/// at most about two periods, where the pool would have had another worker steal it; it does not deadlock.
/// ("About two periods" assumes the pool has a worker for the tick; in a starved pool, with every worker blocked,
/// the tick and then the stolen continuation wait for the pool to add one, as any queued work item would.)
/// </summary>
/// <remarks>
/// <para>The tick runs only while some chain holds deferred work: it stops after <see cref="IdleTicksBeforeStopping"/>
/// ticks without any, and the next chain to defer restarts it. States: <see cref="Stopped"/> → <see cref="Ticking"/>
/// (by a chain's first deferral) → <see cref="Stopping"/> (by an idle tick) → <see cref="Stopped"/>, or back to
/// <see cref="Ticking"/> if a chain defers meanwhile. Starting the tick queues the host's ticker to the pool
/// (<see cref="ThreadPoolChainHost"/>); that happens on these transitions only, never per hand-off.</para>
/// <para>It also owns the push-only list of every trampoline (<see cref="Attach"/>), and frees the trampolines of
/// threads that have exited. One instance serves the process (<see cref="Shared"/>); a systematic test makes its own
/// with a host of its own (<see cref="IChainHost"/>) and calls <see cref="OnTick"/> itself.</para>
/// </remarks>
[DebuggerDisplay("State = {_state}, IdleTicks = {_idleTicks}")]
internal sealed class StalledChainRescuer
{
    /// <summary>
    /// How often a chain holding deferred work is looked at; a stalled deferred continuation waits one to two
    /// periods. Short, so that sync-over-async code waits for what it woke about as long as it would behind the pool's
    /// global queue; longer than a healthy chained continuation (a hand-off takes well under a microsecond).
    /// </summary>
    internal const int PeriodMicroseconds = 25;

    /// <summary>
    /// Ticks without deferred work after which the tick stops: two, so that a low-rate service ticks a couple of
    /// times per hand-off, while a bursty one restarts the ticker at most every few ticks.
    /// </summary>
    internal const int IdleTicksBeforeStopping = 2;

    internal const int Stopped = 0;
    internal const int Ticking = 1;
    internal const int Stopping = 2;

    /// <summary>The process's rescuer, ticked by a ticker on the thread pool, stealing to the thread pool.</summary>
    internal static StalledChainRescuer Shared { get; } = ThreadPoolChainHost.CreateRescuer();

    public StalledChainRescuer(IChainHost host) => Host = host;

    /// <summary>The clock, the tick, the pool.</summary>
    internal IChainHost Host { get; }

    /// <summary>Head of the list of every trampoline; push-only (entries are reused, never removed).</summary>
    private ContinuationTrampoline? _all;

    /// <summary><see cref="Stopped"/>, <see cref="Ticking"/> or <see cref="Stopping"/>; every change is a CAS.</summary>
    private int _state;

    /// <summary>1 while a tick runs; ticks never overlap (see <see cref="OnTick"/>).</summary>
    private int _inTick;

    /// <summary>Consecutive ticks that found no chain holding deferred work (written by ticks only; read by chains as a hint).</summary>
    private int _idleTicks;

    /// <summary>Times the tick was started from <see cref="Stopped"/> (for tests).</summary>
    private long _startCount;

    /// <summary>Times a chain asked the host to hurry: it deferred while the rescuer ticked after an idle tick (for tests).</summary>
    private long _hurries;

    /// <summary>Idle ticks counted before the last stop (for tests).</summary>
    private int _idleTicksAtLastStop = -1;

    /// <summary>Deferred continuations handed to the pool so far (for diagnostics and tests).</summary>
    private long _rescued;

#if PLANTED_BUGS
    internal ref int StateForPlantedBugs => ref _state; // the state word, for the planted bugs' broken stop (tests/Coyote/PlantedBugs)
#endif

    /// <summary>Whether the tick is stopped, ticking or stopping.</summary>
    internal int State => Volatile.Read(ref _state);

    /// <inheritdoc cref="_startCount"/>
    internal long StartCount => Volatile.Read(ref _startCount);

    /// <inheritdoc cref="_hurries"/>
    internal long HurryCount => Volatile.Read(ref _hurries);

    /// <inheritdoc cref="_idleTicks"/>
    internal int IdleTicks => Volatile.Read(ref _idleTicks);

    /// <inheritdoc cref="_idleTicksAtLastStop"/>
    internal int IdleTicksAtLastStop => Volatile.Read(ref _idleTicksAtLastStop);

    /// <inheritdoc cref="_rescued"/>
    internal long RescuedCount => Volatile.Read(ref _rescued);

    /// <summary>The first trampoline of the push-only list of every trampoline.</summary>
    internal ContinuationTrampoline? First => Volatile.Read(ref _all);

    /// <summary>
    /// Gives <paramref name="owner"/> (a thread) a trampoline: a free one from the list, else a new one pushed onto it.
    /// </summary>
    public ContinuationTrampoline Attach(object owner)
    {
        for (ContinuationTrampoline? free = First; free is not null; free = free.Next)
        {
            if (free.TryClaim(owner))
            {
                return free;
            }
        }

        var created = new ContinuationTrampoline(this, owner);
        ContinuationTrampoline? head;
        do
        {
            head = Volatile.Read(ref _all);
            created.Next = head;
        }
        // Publish the new trampoline: the CAS is a release of its fields, so a tick's scan sees them set.
        while (Interlocked.CompareExchange(ref _all, created, head) != head);
        return created;
    }

    /// <summary>
    /// A chain that has announced its deferred work (a full fence: see <see cref="ContinuationTrampoline.TryDeferHere"/>)
    /// makes sure the tick runs, and runs fast if the last tick found no chain holding deferred work (a new one
    /// may be about to block). Cheap when it ticks and the last tick found work: two reads.
    /// </summary>
    public void EnsureTicking()
    {
        if (Volatile.Read(ref _state) != Ticking)
        {
            Start();
        }
        else if (Volatile.Read(ref _idleTicks) != 0)
        {
            // Only a hint, read racily: at worst the host ticks fast for nothing, or this chain is looked at by a
            // slower tick, as when a chain defers while others keep the ticks busy.
            Interlocked.Increment(ref _hurries);
            Host.Hurry();
        }
    }

    private void Start()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == Ticking)
            {
                return;
            }

            // Switch to ticking. From Stopped, the ticker is ours to start; from Stopping, the stopping tick sees its
            // own CAS fail and keeps (or restarts) the ticker.
            if (Interlocked.CompareExchange(ref _state, Ticking, state) == state)
            {
                if (state == Stopped)
                {
                    Interlocked.Increment(ref _startCount);
                    Host.StartTicking();
                }

                return;
            }
        }
    }

    /// <summary>One tick: the host's ticker calls it (a test's rescuer participant calls it directly).</summary>
    public void OnTick()
    {
        // One tick at a time: a late tick of a host may overlap the next one (and the model's rescuer calls this
        // directly), and two scans would race on the trampolines' snapshots and on freeing them.
        if (Interlocked.Exchange(ref _inTick, 1) != 0)
        {
            return;
        }

        try
        {
            Tick();
        }
        finally
        {
            Volatile.Write(ref _inTick, 0);
        }
    }

    private void Tick()
    {
        if (Volatile.Read(ref _state) != Ticking)
        {
            // A late tick of a stopping or stopped ticker.
            return;
        }

        if (RescueStalled())
        {
            Volatile.Write(ref _idleTicks, 0);
            return;
        }

        Volatile.Write(ref _idleTicks, _idleTicks + 1);
        if (_idleTicks < IdleTicksBeforeStopping)
        {
            return;
        }

        Volatile.Write(ref _idleTicksAtLastStop, _idleTicks);
        _idleTicks = 0;
        TryStop();
    }

    private void TryStop()
    {
        // Announce the stop (a full fence), then look for deferred work: a chain announces its deferred work (a full
        // fence) before reading our state, so either we see it here, or it sees us stopping and switches us back.
#if PLANTED_BUGS
        if (SchedulingBugHooks.StopByLookThenWrite(this)) { return; }
#endif
        // An exchange, not a CAS: the state is Ticking (Tick checked it, and only a tick, one at a time, leaves Ticking).
        int was = Interlocked.Exchange(ref _state, Stopping);
        Debug.Assert(was == Ticking, "Only a tick leaves Ticking, and ticks do not overlap.");
        if (AnyHoldsDeferred())
        {
            // Keep ticking. A chain may already have switched us back to Ticking, which comes to the same; nobody
            // but us leaves Stopping for anything else, so a plain write cannot overwrite a decision.
            Volatile.Write(ref _state, Ticking);
            return;
        }

        Host.StopTicking();
        // Stopped, unless a chain switched us back to ticking after our look: then it left the ticker to us.
        if (Interlocked.CompareExchange(ref _state, Stopped, Stopping) != Stopping)
        {
            Host.StartTicking();
        }
    }

    /// <summary>Whether any chain holds deferred work now (a full fence precedes this look).</summary>
    internal bool AnyHoldsDeferred()
    {
        for (ContinuationTrampoline? trampoline = First; trampoline is not null; trampoline = trampoline.Next)
        {
            if (trampoline.HoldsDeferred)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Once per tick: hands to the pool every deferred continuation whose waker has been running since the
    /// previous tick, frees the trampolines of exited threads, and says whether any chain holds deferred work.
    /// </summary>
    private bool RescueStalled()
    {
        bool anyHolding = false;
        for (ContinuationTrampoline? trampoline = First; trampoline is not null; trampoline = trampoline.Next)
        {
            if (!trampoline.IsOwned)
            {
                continue;
            }

            if (!trampoline.HoldsDeferred)
            {
                trampoline.SeenHolding = false;
                trampoline.FreeIfOwnerExited();
                continue;
            }

            anyHolding = true;
            int started = trampoline.Started;
            if (trampoline.SeenHolding && started == trampoline.SeenStarted)
            {
                int stolen = trampoline.StealDeferred();
                if (stolen > 0)
                {
                    // One continuation has been running since the previous tick: it may be blocked waiting for one it
                    // woke, so what it and its predecessors deferred went to the pool; its thread backs off.
                    Interlocked.Add(ref _rescued, stolen);
                    trampoline.BackOff();
                }
            }

            trampoline.SeenHolding = true;
            trampoline.SeenStarted = started;
        }

        return anyHolding;
    }
}
