// ThreadPoolChainHost: the chaining state machine's outside world in the library: the thread pool, the ticks (a
// short burst of fast ticks on a pool worker, then a slow timer), a clock.

using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// The <see cref="IChainHost"/> of the library: the thread pool's global queue, <c>Environment.TickCount64</c>, and
/// the rescuer's ticks: when the rescuer starts, <see cref="FastTicks"/> ticks every
/// <see cref="StalledChainRescuer.PeriodMicroseconds"/> from a work item on the pool (the fast ticker); then, while
/// chains keep holding deferred work and progressing, one tick every <see cref="SlowPeriodMilliseconds"/> from a
/// timer, until a tick steals something, which brings the fast ticker back.
/// </summary>
/// <remarks>
/// <para>Why fast ticks first: code that blocks right after waking its partner (sync-over-async) blocks while the
/// rescuer is just starting, and should wait for what it woke about as long as it would behind the pool's global
/// queue: tens of microseconds, which timers cannot do. Why a slow timer after: a healthy chain (a hot producer and
/// consumer) holds deferred work nearly all the time, and a fast ticker spinning beside it on the other core would
/// tax it, and the whole machine, for nothing. Why not the timer alone: each of its ticks wakes an idle worker, which
/// then spins looking for more work; a low-rate service paid several such wake-ups per hand-off, where the fast
/// ticker's two idle ticks cost one dispatch.</para>
/// <para>Between fast ticks the ticker spins, a short <see cref="Thread.SpinWait(int)"/> at a time. It holds its
/// worker for <see cref="FastTicks"/> periods at most; a tick that stole something requeues it at once to the global
/// queue, behind what it stole, so that its worker runs the stolen continuation if no other one is free.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "One instance lives as long as the process; its timer is never disposed.")]
internal sealed class ThreadPoolChainHost : IChainHost, IThreadPoolWorkItem
{
    /// <summary>Fast ticks after a start or a steal, before the slow timer takes over.</summary>
    internal const int FastTicks = 8;

    /// <summary>The slow timer's period, once chains have been seen progressing.</summary>
    internal const int SlowPeriodMilliseconds = 1;

    private static readonly long s_periodTicks = StalledChainRescuer.PeriodMicroseconds * Stopwatch.Frequency / 1_000_000;

    private readonly Timer _timer;

    /// <summary>The rescuer the ticks tick; set once, right after construction, before it is ever started.</summary>
    private StalledChainRescuer? _rescuer;

    /// <summary>1 between <see cref="StartTicking"/> and <see cref="StopTicking"/>: the rescuer wants ticks.</summary>
    private int _wanted;

    /// <summary>
    /// 1 while the fast ticker is queued or running: there is at most one. Claimed by an exchange from 0 (by a
    /// start, a slow tick that stole, or a ticker that finds itself wanted again after letting go); let go of by an
    /// exchange, a full fence, before the ticker reads <see cref="_wanted"/> one last time.
    /// </summary>
    private int _fastTickerActive;

    /// <summary>Ticks that stole something, by the fast ticker and by the slow timer (for tests).</summary>
    private long _fastRescues;
    private long _slowRescues;

    /// <summary>Counts starts, so that a fast ticker handing over to the timer sees a start it absorbed, and starts over.</summary>
    private int _starts;

    private ThreadPoolChainHost()
    {
        // Capture no ExecutionContext: the timer must not keep alive the AsyncLocals of whichever chain created it.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _timer = new Timer(static state => ((ThreadPoolChainHost)state!).SlowTick(), this, Timeout.Infinite, Timeout.Infinite);
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                _timer = new Timer(static state => ((ThreadPoolChainHost)state!).SlowTick(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    /// <summary>Creates the process's rescuer, ticked by this host.</summary>
    public static StalledChainRescuer CreateRescuer()
    {
        var host = new ThreadPoolChainHost();
        var rescuer = new StalledChainRescuer(host);
        host._rescuer = rescuer;
        return rescuer;
    }

    public long NowMilliseconds => System.Environment.TickCount64;

    /// <inheritdoc cref="_fastRescues"/>
    internal long FastRescues => Volatile.Read(ref _fastRescues);

    /// <inheritdoc cref="_fastRescues"/>
    internal long SlowRescues => Volatile.Read(ref _slowRescues);

    /// <summary>Whether the slow timer watches the chains (the fast ticker has handed over), for tests; a hint.</summary>
    internal bool IsSlow => Volatile.Read(ref _wanted) != 0 && Volatile.Read(ref _fastTickerActive) == 0;

    public void StartTicking()
    {
        // Announce the wish (a release), then claim the fast ticker (see StartFastTicker).
        Volatile.Write(ref _wanted, 1);
        Interlocked.Increment(ref _starts);
        StartFastTicker();
    }

    public void StopTicking()
    {
        // The fast ticker sees it within a period; the slow timer is stopped here, or by its own next tick if the
        // fast ticker armed it after this (it finds nothing wanted). A late tick finds the rescuer stopped.
        Volatile.Write(ref _wanted, 0);
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
    }

    // A new chain holds deferred work after an idle tick; in slow mode, it may block before the timer looks.
    public void Hurry()
    {
        if (Volatile.Read(ref _fastTickerActive) == 0)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            StartFastTicker();
        }
    }

    // The global queue, never the local one: see ContinuationScheduler.Schedule.
    public void Queue(ITrampolineWorkItem item) => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);

    public bool IsAlive(object owner) => ((Thread)owner).IsAlive;

    private void StartFastTicker()
    {
        // An exchange, a full fence after the write of _wanted: a fast ticker letting go either still sees the wish,
        // or let go before our exchange, which then queues a new ticker.
        if (Interlocked.Exchange(ref _fastTickerActive, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The fast ticker: up to <see cref="FastTicks"/> ticks a period apart, then the slow timer.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        StalledChainRescuer rescuer = _rescuer!;
        int starts = Volatile.Read(ref _starts);
        for (int ticks = 0; ; ticks++)
        {
            if (Volatile.Read(ref _wanted) == 0)
            {
                // Let go (a full fence), then look once more: a start between our read and the exchange saw the
                // ticker active and queued nothing, so it is ours to serve, if we can claim the ticker back.
                Interlocked.Exchange(ref _fastTickerActive, 0);
                if (Volatile.Read(ref _wanted) == 0 || Interlocked.Exchange(ref _fastTickerActive, 1) != 0)
                {
                    return;
                }
            }

            long rescuedBefore = rescuer.RescuedCount;
            rescuer.OnTick();
            if (rescuer.RescuedCount != rescuedBefore)
            {
                // Stolen continuations are in the global queue: give them our worker, then tick fast again.
                Interlocked.Increment(ref _fastRescues);
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            if (ticks == FastTicks - 1)
            {
                // Chains are progressing (or gone): the slow timer watches from here, and the worker is free. A stop
                // racing with this finds the timer armed at its next tick and stops it.
                _timer.Change(SlowPeriodMilliseconds, SlowPeriodMilliseconds);
                Interlocked.Exchange(ref _fastTickerActive, 0);
                if (Volatile.Read(ref _starts) != starts)
                {
                    // A start while we ticked found us active: its chain gets its fast ticks too.
                    StartFastTicker();
                }

                return;
            }

            long nextTick = Stopwatch.GetTimestamp() + s_periodTicks;
            while (Stopwatch.GetTimestamp() < nextTick && Volatile.Read(ref _wanted) != 0)
            {
                Thread.SpinWait(20);
            }
        }
    }

    /// <summary>The slow timer's tick; one that steals brings the fast ticker back.</summary>
    private void SlowTick()
    {
        if (Volatile.Read(ref _wanted) == 0)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            return;
        }

        StalledChainRescuer rescuer = _rescuer!;
        long rescuedBefore = rescuer.RescuedCount;
        rescuer.OnTick();
        if (rescuer.RescuedCount != rescuedBefore)
        {
            Interlocked.Increment(ref _slowRescues);
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            StartFastTicker();
        }
    }
}
