// ChannelMetrics: the "RendezvousChannel" System.Diagnostics.Metrics meter, for dotnet-counters, dotnet-monitor,
// OpenTelemetry and in-process MeterListeners.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// The library's metrics, all computed from the live-channel registry, so they cover the channels registered
/// there: those created while <see cref="ChannelDiagnostics.MetricsEnabled"/> or
/// <see cref="ChannelDiagnostics.LeakDetectionEnabled"/> was on. The meter is created with the first registered
/// channel; a process that registers none (both off) never creates it.
/// </summary>
/// <remarks>
/// <para>No channel operation touches a metric. The two counters are incremented when a registered channel is
/// created and when a leak is reported (an <c>Add</c> with no listener is a field read). The rest are observable
/// instruments, computed only when a listener collects: one walk of the registry per collection, shared by
/// all of them (a walk's totals are reused for <see cref="MeasurementReuseMilliseconds"/>).</para>
/// <para>The current-value instruments are up-down counters, as the runtime's own (for example
/// <c>dotnet.thread_pool.queue.length</c>): the values add up across channels, which is what lets a tool sum
/// or chart them per process.</para>
/// </remarks>
internal static class ChannelMetrics
{
    /// <summary>The meter's name, as tools name it: <c>dotnet-counters monitor --counters RendezvousChannel</c>.</summary>
    internal const string MeterName = "RendezvousChannel";

    /// <summary>How long one walk of the registry answers every observable instrument of a collection.</summary>
    private const int MeasurementReuseMilliseconds = 100;

    private static readonly Meter s_meter = new(MeterName, typeof(ChannelMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> s_channelsCreated = s_meter.CreateCounter<long>(
        "rendezvouschannel.channels.created", "{channel}", "Channels created while metrics or leak detection was on (and so registered).");

    private static readonly Counter<long> s_leaksReported = s_meter.CreateCounter<long>(
        "rendezvouschannel.leaks.reported", "{channel}", "Channels garbage-collected without having been completed, as reported by leak detection.");

    /// <summary>The last walk's totals; replaced whole, so a reader sees one consistent walk.</summary>
    private static Totals? s_lastTotals;

    static ChannelMetrics()
    {
        s_meter.CreateObservableUpDownCounter(
            "rendezvouschannel.channels.live", static () => CurrentTotals().LiveChannels, "{channel}",
            "Registered channels neither completed nor garbage-collected yet.");
        s_meter.CreateObservableUpDownCounter(
            "rendezvouschannel.readers.parked", static () => CurrentTotals().ParkedReaders, "{operation}",
            "Reads parked on registered channels: ReadAsync, WaitToReadAsync (and so ReadAllAsync).");
        s_meter.CreateObservableUpDownCounter(
            "rendezvouschannel.writers.parked", static () => CurrentTotals().ParkedWriters, "{operation}",
            "Writes parked on registered channels: WriteAsync, WaitToWriteAsync.");
        s_meter.CreateObservableUpDownCounter(
            "rendezvouschannel.items.buffered", static () => CurrentTotals().BufferedItems, "{item}",
            "Items waiting in the rings of registered RingBufferChannels.");
        s_meter.CreateObservableUpDownCounter(
            "rendezvouschannel.channels.stuck", static () => StuckMeasurement(), "{channel}",
            "Registered channels with an operation parked longer than ChannelDiagnostics.StuckThreshold (no value while it is not set; waits are timed only with leak detection on).");
    }

    /// <summary>The registry's hook, once per registered channel.</summary>
    internal static void OnChannelCreated() => s_channelsCreated.Add(1);

    /// <summary>The leak report's hook, once per reported channel.</summary>
    internal static void OnLeakReported() => s_leaksReported.Add(1);

    private static IEnumerable<Measurement<long>> StuckMeasurement()
    {
        Totals totals = CurrentTotals();
        return totals.StuckChannels < 0 ? [] : [new Measurement<long>(totals.StuckChannels)];
    }

    private static Totals CurrentTotals()
    {
        long now = Stopwatch.GetTimestamp();
        Totals? last = Volatile.Read(ref s_lastTotals);
        if (last is not null && Stopwatch.GetElapsedTime(last.TakenAt, now).TotalMilliseconds < MeasurementReuseMilliseconds)
        {
            return last;
        }

        Totals totals = Measure(now);
        // Publish the whole object: other instruments of this collection reuse it.
        Volatile.Write(ref s_lastTotals, totals);
        return totals;
    }

    /// <summary>One walk of the registry (racy per channel, like every count of parked operations).</summary>
    internal static Totals Measure(long now)
    {
        LiveChannelRegistry.TrySweep();
        long thresholdTicks = StuckChannelWatchdog.ThresholdTimestampTicks;
        var totals = new Totals(now) { StuckChannels = thresholdTicks == 0 ? -1 : 0 };
        for (LiveChannelRegistry.Entry? entry = LiveChannelRegistry.First; entry is not null; entry = entry.Next)
        {
            if (!entry.TryGetLiveRegistration(out ChannelRegistration registration))
            {
                continue;
            }

            ILeakTrackable channel = registration.Channel;
            totals.LiveChannels++;
            totals.ParkedReaders += channel.BlockedReaders;
            totals.ParkedWriters += channel.BlockedWriters;
            totals.BufferedItems += channel.BufferedItems;
            if (thresholdTicks != 0 && StuckChannelWatchdog.IsStuck(channel.OldestParkTimestamp, now, thresholdTicks))
            {
                totals.StuckChannels++;
            }
        }

        return totals;
    }

    /// <summary>What one walk of the registry found.</summary>
    internal sealed class Totals(long takenAt)
    {
        /// <summary>When the walk started (a <see cref="Stopwatch"/> timestamp).</summary>
        public long TakenAt { get; } = takenAt;

        public long LiveChannels { get; set; }

        public long ParkedReaders { get; set; }

        public long ParkedWriters { get; set; }

        public long BufferedItems { get; set; }

        /// <summary>Channels past the threshold, or -1 when no threshold is set.</summary>
        public long StuckChannels { get; set; }
    }
}
