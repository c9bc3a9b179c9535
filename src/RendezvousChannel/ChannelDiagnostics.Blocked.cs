// ChannelDiagnostics, live view: the snapshot of blocked channels, the stuck-operation watchdog and the metrics'
// name. The leak report (ChannelDiagnostics.cs) tells of a channel once it is collected; this part tells of one
// that is still reachable (a field of a singleton, a static, a dictionary of sessions) while a consumer waits
// on it forever, which is the hang production code usually has.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using Rendezvous.Channels.Diagnostics;

namespace Rendezvous.Channels;

public static partial class ChannelDiagnostics
{
    /// <summary>
    /// The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/>:
    /// <c>dotnet-counters monitor --counters RendezvousChannel</c>. Its instruments cover the channels created
    /// while <see cref="MetricsEnabled"/> or <see cref="LeakDetectionEnabled"/> was on: channels live, readers and
    /// writers parked, items buffered, channels stuck past <see cref="StuckThreshold"/>, channels created, leaks
    /// reported.
    /// </summary>
    public const string MeterName = ChannelMetrics.MeterName;

    /// <summary>
    /// Every live channel with operations parked on it, longest wait first: what <see cref="GetBlockedChannels"/>
    /// returns, as a property that a debugger's watch window can expand
    /// (<c>Rendezvous.Channels.ChannelDiagnostics.BlockedChannels</c>).
    /// </summary>
    public static IReadOnlyList<BlockedChannelInfo> BlockedChannels => GetBlockedChannels();

    /// <summary>
    /// The watchdog's threshold: when an operation has been parked on a channel for longer than this,
    /// <see cref="StuckChannelDetected"/> is raised for the channel. Null (the default) turns the watchdog off.
    /// </summary>
    /// <remarks>
    /// <para>Covers the channels that leak detection tracks (created while <see cref="LeakDetectionEnabled"/> is
    /// on). Its timer runs only while a threshold is set and such a channel is alive, and looks about four times
    /// per threshold (at least every second, at most every 10 ms). A channel is reported once per episode, and
    /// again only once the episode changes: its oldest operation was served or canceled and the next one is stuck
    /// too, or the number of blocked readers or writers changed. An operation served, canceled or completed
    /// before the threshold is never reported; a channel collected while stuck is left to the leak report.</para>
    /// <para>The wait is measured from a timestamp each operation records when it parks, which it does when a
    /// channel is tracked, unless the configuration turned detection off at start-up (the package's targets do
    /// so in an application's Release builds; set <c>RENDEZVOUSCHANNEL_LEAKDETECTION=1</c> or the AppContext
    /// switch to have waits there): the JIT then removes the timestamp altogether.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public static TimeSpan? StuckThreshold
    {
        get => StuckChannelWatchdog.Threshold;
        set => StuckChannelWatchdog.Threshold = value;
    }

    /// <summary>
    /// Raised, on a thread-pool thread, for each tracked channel on which an operation has been parked longer
    /// than <see cref="StuckThreshold"/> (see there for when). Each report is also written to the
    /// <c>RendezvousChannel</c> event source; with no subscriber it is also written to <see cref="Trace"/> as a
    /// warning. An exception a handler throws is caught and traced, and the other handlers still run.
    /// </summary>
    public static event Action<BlockedChannelInfo>? StuckChannelDetected;

    /// <summary>
    /// Lists every live channel with operations parked on it (readers, writers, WaitTo callers), longest wait
    /// first: its type, where it was created, the blocked counts and the oldest wait. Covers the channels created
    /// while <see cref="LeakDetectionEnabled"/> was on; empty when none was.
    /// </summary>
    public static IReadOnlyList<BlockedChannelInfo> GetBlockedChannels()
    {
        var blocked = new List<BlockedChannelInfo>();
        for (LiveChannelRegistry.Entry? entry = LiveChannelRegistry.First; entry is not null; entry = entry.Next)
        {
            if (!entry.TryGetLiveTracker(out LeakTracker tracker))
            {
                continue;
            }

            ILeakTrackable channel = tracker.Channel;
            int readers = channel.BlockedReaders;
            int writers = channel.BlockedWriters;
            if (readers + writers == 0)
            {
                continue;
            }

            long oldest = channel.OldestParkTimestamp;
            blocked.Add(new BlockedChannelInfo(
                channel.GetType(), entry.GetCreationStackTrace(tracker), readers, writers,
                oldest == 0 ? null : Stopwatch.GetElapsedTime(oldest)));
        }

        // Longest wait first; unknown waits last.
        blocked.Sort(static (a, b) => (b.OldestWait ?? TimeSpan.MinValue).CompareTo(a.OldestWait ?? TimeSpan.MinValue));
        return blocked;
    }

    /// <summary>
    /// Delivers a stuck channel's report: to the event source always, then to each <see cref="StuckChannelDetected"/>
    /// handler, or to <see cref="Trace"/> if there is none. Never lets a handler's exception escape.
    /// </summary>
    internal static void PublishStuck(BlockedChannelInfo info, TimeSpan threshold)
    {
        Debug.Assert(info is not null);
        ChannelEventSource.Log.ChannelStuck(info);

        Action<BlockedChannelInfo>? handlers = StuckChannelDetected;
        if (handlers is null)
        {
            Trace.TraceWarning($"Stuck channel (an operation parked longer than {BlockedChannelInfo.FormatSeconds(threshold)}): {info}");
            return;
        }

        InvokeEach(handlers, info, ReportStuckDeliveryFailure);
    }

    /// <summary>Makes a failing <see cref="StuckChannelDetected"/> handler (or watchdog tick) visible without letting it crash the process.</summary>
    internal static void ReportStuckDeliveryFailure(Exception error)
    {
        string message = $"A {nameof(ChannelDiagnostics)}.{nameof(StuckChannelDetected)} handler or the watchdog threw; the exception was ignored: {error}";
        ChannelEventSource.Log.LeakHandlerFailed(message);
        Trace.TraceError(message);
    }
}
