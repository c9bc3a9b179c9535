// ThreadPoolChainHost: the chaining state machine's outside world in the library: the thread pool, a timer, a clock.

using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>The <see cref="IChainHost"/> of the library: the thread pool's global queue, a timer, <c>Environment.TickCount64</c>.</summary>
[SuppressMessage("Design", "CA1001", Justification = "One instance lives as long as the process; its timer is never disposed.")]
internal sealed class ThreadPoolChainHost : IChainHost
{
    private readonly Timer _timer;

    /// <summary>The rescuer the timer ticks; set once, right after construction, before the timer is ever started.</summary>
    private StalledChainRescuer? _rescuer;

    public ThreadPoolChainHost()
    {
        // Capture no ExecutionContext: the timer must not keep alive the AsyncLocals of whichever chain created it.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _timer = new Timer(static state => ((ThreadPoolChainHost)state!)._rescuer!.OnTick(), this, Timeout.Infinite, Timeout.Infinite);
        }
        else
        {
            using (ExecutionContext.SuppressFlow())
            {
                _timer = new Timer(static state => ((ThreadPoolChainHost)state!)._rescuer!.OnTick(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    /// <summary>Creates the process's rescuer, ticked by this host's timer.</summary>
    public static StalledChainRescuer CreateRescuer()
    {
        var host = new ThreadPoolChainHost();
        var rescuer = new StalledChainRescuer(host);
        host._rescuer = rescuer;
        return rescuer;
    }

    public long NowMilliseconds => Environment.TickCount64;

    public void StartTicking() => _timer.Change(StalledChainRescuer.PeriodMilliseconds, StalledChainRescuer.PeriodMilliseconds);

    public void StopTicking() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    // The global queue, never the local one: see ContinuationScheduler.Schedule.
    public void Queue(ITrampolineWorkItem item) => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);

    public bool IsAlive(object owner) => ((Thread)owner).IsAlive;
}
