// StalledChainRescuer: the timer that steals deferred continuations from stalled chains, as Go's idle processors
// steal a runnext goroutine whose processor has not returned to its scheduler.

using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// The thief that keeps <see cref="ContinuationTrampoline"/> safe: a timer that, while any chain runs, looks
/// every <see cref="PeriodMilliseconds"/> at each trampoline and hands to the thread pool a deferred continuation
/// whose waker has not returned since the previous look. Code that blocks a chained continuation until a
/// continuation it woke has run (sync-over-async) therefore waits at most about two periods, where the pool
/// would have had another worker steal it; it does not deadlock. ("About two periods" assumes the pool has a
/// worker for the tick; in a starved pool, with every worker blocked, the tick and then the stolen continuation
/// wait for the pool to add one, as any queued work item would.)
/// </summary>
/// <remarks>
/// The timer ticks only while chains run: it stops itself after <see cref="IdleTicksBeforeStopping"/> ticks
/// without one, and the first chain to start afterwards restarts it. States: <see cref="Stopped"/> →
/// <see cref="Ticking"/> (by a starting chain) → <see cref="Stopping"/> (by an idle tick) → <see cref="Stopped"/>,
/// or back to <see cref="Ticking"/> if a chain starts meanwhile. Starting or stopping the timer takes the
/// runtime's timer-queue lock; that happens on these transitions only, never per hand-off.
/// </remarks>
internal static class StalledChainRescuer
{
    /// <summary>How often a running chain is looked at; a stalled deferred continuation waits one to two periods.</summary>
    internal const int PeriodMilliseconds = 4;

    /// <summary>About a second without chains, after which the timer stops.</summary>
    private const int IdleTicksBeforeStopping = 250;

    private const int Stopped = 0;
    private const int Ticking = 1;
    private const int Stopping = 2;

    private static readonly Timer s_timer = CreateTimer();

    /// <summary><see cref="Stopped"/>, <see cref="Ticking"/> or <see cref="Stopping"/>; every change is a CAS.</summary>
    private static int s_state;

    /// <summary>1 while a tick runs; ticks never overlap (see <see cref="OnTick"/>).</summary>
    private static int s_inTick;

    /// <summary>Consecutive ticks that found no chain running (touched by ticks only).</summary>
    private static int s_idleTicks;

    /// <summary>
    /// A chain that has announced itself (a full fence) makes sure the timer ticks. Cheap when it does: one read.
    /// </summary>
    public static void EnsureTicking()
    {
        if (Volatile.Read(ref s_state) != Ticking)
        {
            Start();
        }
    }

    private static void Start()
    {
        while (true)
        {
            int state = Volatile.Read(ref s_state);
            if (state == Ticking)
            {
                return;
            }

            // Switch to ticking. From Stopped, the timer is ours to start; from Stopping, the stopping tick sees its
            // own CAS fail and keeps (or restarts) the timer.
            if (Interlocked.CompareExchange(ref s_state, Ticking, state) == state)
            {
                if (state == Stopped)
                {
                    s_timer.Change(PeriodMilliseconds, PeriodMilliseconds);
                }

                return;
            }
        }
    }

    private static void OnTick()
    {
        // One tick at a time: the pool may run a timer's callbacks concurrently when it is busy (which is when
        // rescuing matters), and two scans would race on the trampolines' snapshots and on freeing them.
        if (Interlocked.Exchange(ref s_inTick, 1) != 0)
        {
            return;
        }

        try
        {
            Tick();
        }
        finally
        {
            Volatile.Write(ref s_inTick, 0);
        }
    }

    private static void Tick()
    {
        if (Volatile.Read(ref s_state) != Ticking)
        {
            // A late tick of a stopping or stopped timer.
            return;
        }

        if (RescueStalled())
        {
            s_idleTicks = 0;
            return;
        }

        if (++s_idleTicks < IdleTicksBeforeStopping)
        {
            return;
        }

        s_idleTicks = 0;
        TryStop();
    }

    private static void TryStop()
    {
        // Announce the stop (a full fence), then look for chains: a chain announces itself (a full fence) before
        // reading our state, so either we see it running here, or it sees us stopping and switches us back.
        if (Interlocked.CompareExchange(ref s_state, Stopping, Ticking) != Ticking)
        {
            return;
        }

        if (AnyRunning())
        {
            // Keep ticking (a chain may already have switched us back, which comes to the same).
            Interlocked.CompareExchange(ref s_state, Ticking, Stopping);
            return;
        }

        s_timer.Change(Timeout.Infinite, Timeout.Infinite);
        // Stopped, unless a chain switched us back to ticking after our look: then it left the timer to us.
        if (Interlocked.CompareExchange(ref s_state, Stopped, Stopping) != Stopping)
        {
            s_timer.Change(PeriodMilliseconds, PeriodMilliseconds);
        }
    }

    /// <summary>Whether any thread is running a chain now (a full fence precedes this look).</summary>
    private static bool AnyRunning()
    {
        for (ContinuationTrampoline? trampoline = ContinuationTrampoline.First; trampoline is not null; trampoline = trampoline.Next)
        {
            if (trampoline.IsRunning)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Once per tick: hands to the pool every deferred continuation whose waker has been running since the
    /// previous tick, frees the trampolines of exited threads, and says whether any chain is running.
    /// </summary>
    private static bool RescueStalled()
    {
        bool anyRunning = false;
        for (ContinuationTrampoline? trampoline = ContinuationTrampoline.First; trampoline is not null; trampoline = trampoline.Next)
        {
            if (!trampoline.IsOwned)
            {
                continue;
            }

            if (!trampoline.IsRunning)
            {
                trampoline.SeenRunning = false;
                trampoline.FreeIfOwnerExited();
                continue;
            }

            anyRunning = true;
            int started = trampoline.Started;
            if (trampoline.SeenRunning && started == trampoline.SeenStarted && trampoline.StealDeferred())
            {
                // One continuation has been running since the previous tick: it may be blocked waiting for one it
                // woke, so what it and its predecessors deferred went to the pool; its thread backs off.
                trampoline.BackOff();
            }

            trampoline.SeenRunning = true;
            trampoline.SeenStarted = started;
        }

        return anyRunning;
    }

    private static Timer CreateTimer()
    {
        // Capture no ExecutionContext: the timer must not keep alive the AsyncLocals of whichever chain created it.
        if (ExecutionContext.IsFlowSuppressed())
        {
            return new Timer(static _ => OnTick(), null, Timeout.Infinite, Timeout.Infinite);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(static _ => OnTick(), null, Timeout.Infinite, Timeout.Infinite);
        }
    }
}
