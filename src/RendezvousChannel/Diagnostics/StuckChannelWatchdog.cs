// StuckChannelWatchdog: the opt-in timer that reports channels whose oldest parked operation has waited longer
// than ChannelDiagnostics.StuckThreshold: the live counterpart of the leak report.

using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// Looks at every live tracked channel (<see cref="LiveChannelRegistry"/>) a few times per threshold and reports,
/// through <see cref="ChannelDiagnostics.StuckChannelDetected"/>, each channel whose oldest parked operation has
/// waited longer than the threshold: once per episode, and again only once the episode changes (its oldest
/// operation was served or canceled and the next one is stuck too, or its blocked counts changed).
/// </summary>
/// <remarks>
/// <para>The timer runs only while a threshold is set and a channel is tracked. It is one-shot, re-armed at the
/// end of each tick, so ticks never overlap, and the tick owns the entries' episode fields. States:
/// <see cref="Stopped"/> → <see cref="Armed"/> by whoever sets a threshold or registers a channel (a CAS, so one
/// of them arms the timer) → <see cref="Stopped"/> by a tick that finds no threshold or no channel, which then
/// looks again and re-arms if either appeared meanwhile (each side writes with a full fence, then reads the
/// other's condition: Dekker, so no start is lost). Arming takes the runtime's timer-queue lock, on these
/// transitions and once per tick, never on a channel operation.</para>
/// <para>A channel collected while stuck is never seen again (its weak reference is cleared first): the leak report
/// alone tells of it. A channel completed is disarmed and skipped, so an operation served, canceled or completed
/// before the threshold is never reported.</para>
/// </remarks>
internal static class StuckChannelWatchdog
{
    private const int Stopped = 0;
    private const int Armed = 1;

    /// <summary>The shortest and longest pause between two ticks; a tick comes about four times per threshold between them.</summary>
    private static readonly TimeSpan s_minPeriod = TimeSpan.FromMilliseconds(10);

    private static readonly TimeSpan s_maxPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The threshold in <see cref="Stopwatch"/> ticks, or 0 when the watchdog is off. Written with a full fence.</summary>
    private static long s_thresholdTimestampTicks;

    /// <summary><see cref="Stopped"/> or <see cref="Armed"/>; only the thread that moved it to Armed touches the timer until a tick moves it back.</summary>
    private static int s_state;

    /// <summary>Created by the first arming; touched only by the holder of <see cref="Armed"/>.</summary>
    private static Timer? s_timer;

    /// <summary>Ticks that looked at the channels; written by ticks only (they never overlap). Lets tests wait for a look.</summary>
    private static int s_completedLooks;

    /// <summary>The threshold, or null when the watchdog is off.</summary>
    internal static TimeSpan? Threshold
    {
        get
        {
            long ticks = Volatile.Read(ref s_thresholdTimestampTicks);
            return ticks == 0 ? null : Stopwatch.GetElapsedTime(0, ticks);
        }

        set
        {
            long ticks = 0;
            if (value is TimeSpan threshold)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, TimeSpan.Zero, nameof(value));
                ticks = Math.Max(1, (long)(threshold.TotalSeconds * Stopwatch.Frequency));
            }

            // Full fence, then look for channels (see the class remarks).
            Interlocked.Exchange(ref s_thresholdTimestampTicks, ticks);
            EnsureArmed();
        }
    }

    /// <summary>How many ticks have looked at every live channel so far; a tick that starts after a change sees it.</summary>
    internal static int CompletedLooks => Volatile.Read(ref s_completedLooks);

    /// <summary>The threshold in <see cref="Stopwatch"/> ticks, or 0 when off.</summary>
    internal static long ThresholdTimestampTicks => Volatile.Read(ref s_thresholdTimestampTicks);

    /// <summary>The registry's hook, after the registering CAS: arms the timer if a threshold is set.</summary>
    internal static void OnChannelTracked()
    {
        if (Volatile.Read(ref s_thresholdTimestampTicks) != 0)
        {
            EnsureArmed();
        }
    }

    /// <summary>Whether the channel's oldest parked operation, parked at <paramref name="oldestParkTimestamp"/>, is past the threshold.</summary>
    internal static bool IsStuck(long oldestParkTimestamp, long now, long thresholdTicks) =>
        thresholdTicks != 0 && oldestParkTimestamp != 0 && now - oldestParkTimestamp >= thresholdTicks;

    private static void EnsureArmed()
    {
        // Claim the timer: of the setters, registrations and stopping ticks that race here, one CAS wins.
        if (Volatile.Read(ref s_thresholdTimestampTicks) != 0 &&
            LiveChannelRegistry.First is not null &&
            Interlocked.CompareExchange(ref s_state, Armed, Stopped) == Stopped)
        {
            Arm();
        }
    }

    /// <summary>Holder of <see cref="Armed"/> only: schedules the next tick.</summary>
    private static void Arm()
    {
        long thresholdTicks = Volatile.Read(ref s_thresholdTimestampTicks);
        TimeSpan period = thresholdTicks == 0
            ? s_minPeriod
            : TimeSpan.FromTicks(Math.Clamp(Stopwatch.GetElapsedTime(0, thresholdTicks).Ticks / 4, s_minPeriod.Ticks, s_maxPeriod.Ticks));
        s_timer ??= CreateTimer();
        s_timer.Change(period, Timeout.InfiniteTimeSpan);
    }

    private static Timer CreateTimer()
    {
        // Capture no ExecutionContext: the tick must not run in (nor keep alive) the context of whichever
        // thread happened to arm the timer first.
        bool restoreFlow = !ExecutionContext.IsFlowSuppressed();
        if (restoreFlow)
        {
            ExecutionContext.SuppressFlow();
        }

        try
        {
            return new Timer(static _ => OnTick(), null, Timeout.Infinite, Timeout.Infinite);
        }
        finally
        {
            if (restoreFlow)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    private static void OnTick()
    {
        try
        {
            long thresholdTicks = Volatile.Read(ref s_thresholdTimestampTicks);
            if (thresholdTicks != 0)
            {
                LiveChannelRegistry.TrySweep();
                ReportStuckChannels(thresholdTicks);
                Volatile.Write(ref s_completedLooks, s_completedLooks + 1);
            }

            if (Volatile.Read(ref s_thresholdTimestampTicks) != 0 && LiveChannelRegistry.First is not null)
            {
                Arm();
                return;
            }
        }
#pragma warning disable CA1031 // Any exception: one escaping a timer callback terminates the process, and a diagnostic must never do that.
        catch (Exception error)
#pragma warning restore CA1031
        {
            ChannelDiagnostics.ReportStuckDeliveryFailure(error);
        }

        // Stop (a full fence), then look again: a threshold or channel that arrived meanwhile re-arms the timer.
        Interlocked.Exchange(ref s_state, Stopped);
        EnsureArmed();
    }

    /// <summary>One look at every live channel: reports those that entered, or changed, a stuck episode.</summary>
    private static void ReportStuckChannels(long thresholdTicks)
    {
        for (LiveChannelRegistry.Entry? entry = LiveChannelRegistry.First; entry is not null; entry = entry.Next)
        {
            if (!entry.TryGetLiveTracker(out LeakTracker tracker))
            {
                continue;
            }

            ILeakTrackable channel = tracker.Channel;
            long oldest = channel.OldestParkTimestamp;
            long now = Stopwatch.GetTimestamp();
            if (!IsStuck(oldest, now, thresholdTicks))
            {
                // Served, canceled or completed in time, or nothing parked: any episode is over.
                entry.ReportedOldestParkTimestamp = 0;
                continue;
            }

            int readers = channel.BlockedReaders;
            int writers = channel.BlockedWriters;
            if (readers + writers == 0 ||
                (entry.ReportedOldestParkTimestamp == oldest && entry.ReportedBlockedReaders == readers && entry.ReportedBlockedWriters == writers))
            {
                // Served just now, or the episode already reported and unchanged.
                continue;
            }

            entry.ReportedOldestParkTimestamp = oldest;
            entry.ReportedBlockedReaders = readers;
            entry.ReportedBlockedWriters = writers;
            ChannelDiagnostics.PublishStuck(new BlockedChannelInfo(
                channel.GetType(), entry.GetCreationStackTrace(tracker), readers, writers, Stopwatch.GetElapsedTime(oldest, now)),
                Stopwatch.GetElapsedTime(0, thresholdTicks));
        }
    }
}
