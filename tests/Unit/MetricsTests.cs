using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Rendezvous.Channels.Diagnostics;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Issue 15 (metrics) and 14 (the stuck count): the <c>RendezvousChannel</c> meter, read by an in-process
/// <see cref="MeterListener"/> as dotnet-counters reads it out of process. The values are process-wide totals
/// over registered channels (tracked by leak detection, or registered by the metrics switch alone), so each test
/// compares a measurement after its own changes with one before (the collection runs alone, so nothing else
/// changes them meanwhile).
/// </summary>
[Collection(LeakDetectionTests.CollectionName)]
public sealed class MetricsTests : IDisposable
{
    private readonly bool _previousDetection;
    private readonly bool _previousMetrics;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _observed = new();
    private readonly ConcurrentDictionary<string, long> _counted = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new();

    public MetricsTests()
    {
        _previousDetection = ChannelDiagnostics.LeakDetectionEnabled;
        _previousMetrics = ChannelDiagnostics.MetricsEnabled;
        ChannelDiagnostics.LeakDetectionEnabled = true;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ChannelDiagnostics.MeterName)
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) =>
        {
            if (instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal))
            {
                _observed[instrument.Name] = value;
            }
            else
            {
                _counted.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        ChannelDiagnostics.StuckThreshold = null;
        ChannelDiagnostics.LeakDetectionEnabled = _previousDetection;
        ChannelDiagnostics.MetricsEnabled = _previousMetrics;
    }

    [Fact]
    public void Meter_publishes_the_instruments_an_operator_charts()
    {
        // The meter exists once a channel is tracked.
        new RendezvousChannel<int>().Writer.Complete();
        using var late = new MeterListener();
        var names = new List<string>();
        late.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == "RendezvousChannel")
            {
                names.Add(instrument.Name + " " + instrument.Unit);
            }
        };
        late.Start();
        Assert.Equal(
            [
                "rendezvouschannel.channels.created {channel}",
                "rendezvouschannel.channels.live {channel}",
                "rendezvouschannel.channels.stuck {channel}",
                "rendezvouschannel.items.buffered {item}",
                "rendezvouschannel.leaks.reported {channel}",
                "rendezvouschannel.readers.parked {operation}",
                "rendezvouschannel.writers.parked {operation}",
            ],
            names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Gauges_count_parked_readers_and_writers_buffered_items_and_live_channels()
    {
        ForcedCollections.Full();
        Dictionary<string, long> before = Observe();

        var rendezvous = new RendezvousChannel<int>();
        var ring = new RingBufferChannel<int>(3);
        try
        {
            ValueTask<int> read1 = rendezvous.Reader.ReadAsync();
            ValueTask<bool> read2 = rendezvous.Reader.WaitToReadAsync();
            Fill(ring.Writer, 3);
            ValueTask write = ring.Writer.WriteAsync(4);
            Assert.False(read1.IsCompleted || read2.IsCompleted || write.IsCompleted);

            Dictionary<string, long> after = Observe();
            Assert.Equal(2, after["rendezvouschannel.channels.live"] - before["rendezvouschannel.channels.live"]);
            Assert.Equal(2, after["rendezvouschannel.readers.parked"] - before["rendezvouschannel.readers.parked"]);
            Assert.Equal(1, after["rendezvouschannel.writers.parked"] - before["rendezvouschannel.writers.parked"]);
            Assert.Equal(3, after["rendezvouschannel.items.buffered"] - before["rendezvouschannel.items.buffered"]);
        }
        finally
        {
            rendezvous.Writer.Complete();
            ring.Writer.Complete();
        }

        // Completed channels leave the registry (their buffered items are no longer counted).
        Dictionary<string, long> completed = Observe();
        Assert.Equal(before["rendezvouschannel.channels.live"], completed["rendezvouschannel.channels.live"]);
        Assert.Equal(before["rendezvouschannel.items.buffered"], completed["rendezvouschannel.items.buffered"]);
    }

    [Fact]
    public void Counters_count_channels_created_and_leaks_reported()
    {
        var leaks = new ConcurrentQueue<ChannelLeakReport>();
        void OnLeak(ChannelLeakReport report) => leaks.Enqueue(report);
        ForcedCollections.Full();
        ChannelDiagnostics.LeakDetected += OnLeak;
        try
        {
            long createdBefore = Counted("rendezvouschannel.channels.created");
            long leaksBefore = Counted("rendezvouschannel.leaks.reported");
            CreateAndAbandon(3);
            Assert.Equal(3, Counted("rendezvouschannel.channels.created") - createdBefore);

            ForcedCollections.Until(() => leaks.Count(r => r.ChannelType == typeof(RendezvousChannel<AbandonedMarker>)) >= 3);

            Assert.Equal(3, leaks.Count(r => r.ChannelType == typeof(RendezvousChannel<AbandonedMarker>)));
            // Every leak reported in the window is counted, ours and any other test's.
            Assert.Equal(leaks.Count, Counted("rendezvouschannel.leaks.reported") - leaksBefore);
        }
        finally
        {
            ChannelDiagnostics.LeakDetected -= OnLeak;
        }
    }

    [Fact]
    public async Task Stuck_gauge_counts_channels_past_the_threshold_and_has_no_value_without_one()
    {
        ChannelDiagnostics.StuckThreshold = null;
        Assert.False(Observe().ContainsKey("rendezvouschannel.channels.stuck"));

        var stuck = new RendezvousChannel<int>();
        try
        {
            ChannelDiagnostics.StuckThreshold = TimeSpan.FromSeconds(30);
            long before = Observe()["rendezvouschannel.channels.stuck"];
            ValueTask<int> read = stuck.Reader.ReadAsync();
            ChannelDiagnostics.StuckThreshold = TimeSpan.FromMilliseconds(50);

            // Occurrence, not timing: wait until the watchdog itself has found the channel stuck.
            var reported = new TaskCompletionSource();
            void OnStuck(BlockedChannelInfo info)
            {
                if (info.ChannelType == typeof(RendezvousChannel<int>) && info.BlockedReaders == 1)
                {
                    reported.TrySetResult();
                }
            }

            ChannelDiagnostics.StuckChannelDetected += OnStuck;
            try
            {
                await Eventually.Completes(reported.Task, "the watchdog's report");
            }
            finally
            {
                ChannelDiagnostics.StuckChannelDetected -= OnStuck;
            }

            Assert.True(Observe()["rendezvouschannel.channels.stuck"] - before >= 1);
            stuck.Writer.Complete();
            Assert.True(read.IsCompleted);
            Assert.Equal(before, Observe()["rendezvouschannel.channels.stuck"]);
        }
        finally
        {
            stuck.Writer.TryComplete();
        }
    }

    [Fact]
    public void With_metrics_on_and_detection_off_channels_are_counted_without_a_leak_tracker()
    {
        // A Release service: the package's targets turned detection off, the operator turned metrics on.
        ChannelDiagnostics.LeakDetectionEnabled = false;
        ChannelDiagnostics.MetricsEnabled = true;
        ForcedCollections.Full();
        // If no channel was registered yet in this process, the meter does not exist yet: every value is then 0.
        Dictionary<string, long> before = Observe();
        long createdBefore = Counted("rendezvouschannel.channels.created");

        var rendezvous = new RendezvousChannel<MetricsOnlyMarker>();
        var ring = new RingBufferChannel<MetricsOnlyMarker>(2);
        try
        {
            ValueTask<MetricsOnlyMarker> read1 = rendezvous.Reader.ReadAsync();
            ValueTask<MetricsOnlyMarker> read2 = rendezvous.Reader.ReadAsync();
            Assert.True(ring.Writer.TryWrite(new MetricsOnlyMarker()) && ring.Writer.TryWrite(new MetricsOnlyMarker()));
            ValueTask write = ring.Writer.WriteAsync(new MetricsOnlyMarker());
            Assert.False(read1.IsCompleted || read2.IsCompleted || write.IsCompleted);

            Dictionary<string, long> after = Observe();
            Assert.Equal(2, Counted("rendezvouschannel.channels.created") - createdBefore);
            Assert.Equal(2, after["rendezvouschannel.channels.live"] - before.GetValueOrDefault("rendezvouschannel.channels.live"));
            Assert.Equal(2, after["rendezvouschannel.readers.parked"] - before.GetValueOrDefault("rendezvouschannel.readers.parked"));
            Assert.Equal(1, after["rendezvouschannel.writers.parked"] - before.GetValueOrDefault("rendezvouschannel.writers.parked"));
            Assert.Equal(2, after["rendezvouschannel.items.buffered"] - before.GetValueOrDefault("rendezvouschannel.items.buffered"));

            // Registered, but lightly: no leak tracker (no stack capture, no finalizer), so no creation site either.
            ChannelRegistration[] registrations = [.. LiveRegistrationsOf(rendezvous), .. LiveRegistrationsOf(ring)];
            Assert.Equal(2, registrations.Length);
            Assert.All(registrations, r => Assert.Equal(typeof(ChannelRegistration), r.GetType()));
            Assert.DoesNotContain(ChannelDiagnostics.GetBlockedChannels(), c => c.ChannelType.GenericTypeArguments.Contains(typeof(MetricsOnlyMarker)));
        }
        finally
        {
            rendezvous.Writer.Complete();
            ring.Writer.Complete();
        }

        // Completed channels leave the metrics, as tracked ones do.
        Dictionary<string, long> completed = Observe();
        Assert.Equal(before.GetValueOrDefault("rendezvouschannel.channels.live"), completed["rendezvouschannel.channels.live"]);
        Assert.Equal(before.GetValueOrDefault("rendezvouschannel.items.buffered"), completed["rendezvouschannel.items.buffered"]);
    }

    [Fact]
    public void With_metrics_and_detection_off_nothing_is_registered()
    {
        ChannelDiagnostics.LeakDetectionEnabled = false;
        ChannelDiagnostics.MetricsEnabled = false;
        long createdBefore = Counted("rendezvouschannel.channels.created");

        var rendezvous = new RendezvousChannel<MetricsOnlyMarker>();
        var ring = new RingBufferChannel<MetricsOnlyMarker>(1);
        try
        {
            ValueTask<MetricsOnlyMarker> read = rendezvous.Reader.ReadAsync();
            Assert.True(ring.Writer.TryWrite(new MetricsOnlyMarker()));
            Assert.False(read.IsCompleted);

            Assert.Empty(LiveRegistrationsOf(rendezvous));
            Assert.Empty(LiveRegistrationsOf(ring));
            Assert.Null(RegistrationField(rendezvous));
            Assert.Null(RegistrationField(ring));
            Assert.Equal(createdBefore, Counted("rendezvouschannel.channels.created"));
        }
        finally
        {
            rendezvous.Writer.Complete();
            ring.Writer.Complete();
        }
    }

    [Fact]
    public void With_detection_on_a_channel_is_registered_by_its_leak_tracker_whatever_the_metrics_switch()
    {
        ChannelDiagnostics.LeakDetectionEnabled = true;
        ChannelDiagnostics.MetricsEnabled = false;
        var rendezvous = new RendezvousChannel<MetricsOnlyMarker>();
        try
        {
            ChannelRegistration registration = Assert.Single(LiveRegistrationsOf(rendezvous));
            Assert.IsType<LeakTracker>(registration);
        }
        finally
        {
            rendezvous.Writer.Complete();
        }
    }

    private static List<ChannelRegistration> LiveRegistrationsOf(object channel)
    {
        var found = new List<ChannelRegistration>();
        for (LiveChannelRegistry.Entry? entry = LiveChannelRegistry.First; entry is not null; entry = entry.Next)
        {
            if (entry.TryGetLiveRegistration(out ChannelRegistration registration) && ReferenceEquals(registration.Channel, channel))
            {
                found.Add(registration);
            }
        }

        return found;
    }

    /// <summary>The channel's own reference to its registration: null means nothing was allocated for it.</summary>
    private static object? RegistrationField(object channel) =>
        channel.GetType().GetField("_registration", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(channel);

    private Dictionary<string, long> Observe()
    {
        // Observable instruments reuse one walk for a short while: wait it out so this is a fresh one.
        Thread.Sleep(150);
        _observed.Clear();
        _listener.RecordObservableInstruments();
        return new Dictionary<string, long>(_observed);
    }

    private long Counted(string name) => _counted.TryGetValue(name, out long sum) ? sum : 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndAbandon(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = new RendezvousChannel<AbandonedMarker>();
        }
    }

    private sealed class AbandonedMarker;

    private sealed class MetricsOnlyMarker;
}
