using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Rendezvous.Channels.Diagnostics;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Issue 14: the live view of blocked operations. A channel that is still reachable while an operation waits on
/// it forever is listed by <see cref="ChannelDiagnostics.GetBlockedChannels"/> and reported by the watchdog once
/// its oldest operation has waited past <see cref="ChannelDiagnostics.StuckThreshold"/>, once per episode; an
/// operation served, canceled or completed in time never is; a collected channel is left to the leak report;
/// with detection off nothing is tracked.
/// </summary>
/// <remarks>
/// These tests flip process-wide settings (detection, the threshold), so they share the leak-detection
/// collection, which runs alone. They wait for occurrences (a report, the watchdog's next looks) with the
/// generous <see cref="Eventually.HangTimeout"/>, never for a duration: thresholds are short, but no assertion
/// depends on how long anything took, except where a test says so and checks its own precondition.
/// Each test uses its own item types and filters reports by them.
/// </remarks>
[Collection(LeakDetectionTests.CollectionName)]
public sealed class StuckOperationTests : IDisposable
{
    private static readonly TimeSpan ShortThreshold = TimeSpan.FromMilliseconds(100);

    // Channels held by statics, as a singleton service or a static cache holds them in production.
    private static RendezvousChannel<HeldMarker>? s_held;
    private static RendezvousChannel<ServedMarker>? s_served;

    private readonly ITestOutputHelper _output;
    private readonly bool _previousDetection;
    private readonly ConcurrentQueue<BlockedChannelInfo> _stuckReports = new();
    private readonly ConcurrentQueue<ChannelLeakReport> _leakReports = new();

    public StuckOperationTests(ITestOutputHelper output)
    {
        _output = output;
        _previousDetection = ChannelDiagnostics.LeakDetectionEnabled;
        ChannelDiagnostics.LeakDetectionEnabled = true;
        ChannelDiagnostics.StuckChannelDetected += OnStuck;
        ChannelDiagnostics.LeakDetected += OnLeak;
    }

    public void Dispose()
    {
        ChannelDiagnostics.StuckThreshold = null;
        ChannelDiagnostics.StuckChannelDetected -= OnStuck;
        ChannelDiagnostics.LeakDetected -= OnLeak;
        ChannelDiagnostics.LeakDetectionEnabled = _previousDetection;
    }

    [Fact]
    public async Task A_channel_held_in_a_static_with_a_reader_parked_past_the_threshold_is_reported_once_per_episode_with_its_creation_site()
    {
        s_held = new RendezvousChannel<HeldMarker>();
        try
        {
            ValueTask<HeldMarker> read = s_held.Reader.ReadAsync();
            Assert.False(read.IsCompleted);
            ChannelDiagnostics.StuckThreshold = ShortThreshold;

            BlockedChannelInfo report = await NextReportFor<HeldMarker>(count: 1);
            _output.WriteLine(report.ToString());
            Assert.Equal(typeof(RendezvousChannel<HeldMarker>), report.ChannelType);
            Assert.Equal(1, report.BlockedReaders);
            Assert.Equal(0, report.BlockedWriters);
            Assert.NotNull(report.OldestWait);
            Assert.True(report.OldestWait >= ShortThreshold, $"Reported after {report.OldestWait}, before the threshold.");
            AssertCreatedBy(report.CreationStackTrace, nameof(A_channel_held_in_a_static_with_a_reader_parked_past_the_threshold_is_reported_once_per_episode_with_its_creation_site));

            // The episode goes on: several more looks, no second report.
            await WatchdogLooks(3);
            Assert.Single(ReportsFor<HeldMarker>());

            // Progress (the reader is served), then a new reader that waits too long: a new episode.
            Assert.True(s_held.Writer.TryWrite(new HeldMarker()));
            Assert.True(read.IsCompleted);
            ValueTask<HeldMarker> secondRead = s_held.Reader.ReadAsync();
            Assert.False(secondRead.IsCompleted);
            await NextReportFor<HeldMarker>(count: 2);
            await WatchdogLooks(3);
            Assert.Equal(2, ReportsFor<HeldMarker>().Count);

            // Its waiters change (a writer joins a WaitToWrite while the reader still waits): reported again.
            ValueTask<bool> waitToRead = s_held.Reader.WaitToReadAsync();
            Assert.False(waitToRead.IsCompleted);
            BlockedChannelInfo changed = await NextReportFor<HeldMarker>(count: 3);
            Assert.Equal(2, changed.BlockedReaders);
        }
        finally
        {
            s_held.Writer.TryComplete();
            s_held = null;
        }
    }

    [Fact]
    public void Operations_served_canceled_or_completed_in_time_are_never_reported()
    {
        // The threshold is long against the watchdog's looks (about four per threshold), so that a reader parked
        // until one look has run (at most two periods) has waited well under it; the test checks that precondition.
        // Synchronous on purpose: waiters are pooled per thread, and the test needs the served reader's waiter
        // to be reused, by this thread, after the threshold has passed.
        TimeSpan threshold = TimeSpan.FromSeconds(4);
        ChannelDiagnostics.StuckThreshold = threshold;
        var control = new RendezvousChannel<ControlMarker>();
        ValueTask<ControlMarker> controlRead = control.Reader.ReadAsync();
        s_served = new RendezvousChannel<ServedMarker>();
        var canceled = new RendezvousChannel<CanceledMarker>();
        var completed = new RingBufferChannel<CompletedMarker>(1);
        try
        {
            // Served, canceled, completed, each right after parking.
            ValueTask<ServedMarker> served = s_served.Reader.ReadAsync();
            Assert.True(s_served.Writer.TryWrite(new ServedMarker()));
            Assert.True(served.IsCompleted);
            // Consuming the result returns the waiter to this thread's pool slot, where the next read reuses it.
            _ = served.Result;
            using (var cts = new CancellationTokenSource())
            {
                ValueTask<CanceledMarker> canceledRead = canceled.Reader.ReadAsync(cts.Token);
                cts.Cancel();
                Assert.True(canceledRead.IsCanceled);
            }

            ValueTask<CompletedMarker> completedRead = completed.Reader.ReadAsync();
            completed.Writer.Complete();
            Assert.True(completedRead.IsCompleted);

            // The control, parked since before them, proves that the watchdog looked after the threshold.
            BlockUntil(() => ReportsFor<ControlMarker>().Count != 0, "the control's report");

            // A new reader on the served channel reuses the pooled waiter: it must be timed from its own park.
            var parkedFor = Stopwatch.StartNew();
            ValueTask<ServedMarker> again = s_served.Reader.ReadAsync();
            BlockUntilWatchdogLooks(1);
            Assert.True(parkedFor.Elapsed < threshold, $"Precondition: the second reader was parked for {parkedFor.Elapsed}, under the threshold.");
            Assert.True(s_served.Writer.TryWrite(new ServedMarker()));
            Assert.True(again.IsCompleted);
            _ = again.Result;
            BlockUntilWatchdogLooks(2);

            Assert.Empty(ReportsFor<ServedMarker>());
            Assert.Empty(ReportsFor<CanceledMarker>());
            Assert.Empty(ReportsFor<CompletedMarker>());
        }
        finally
        {
            control.Writer.Complete();
            s_served.Writer.Complete();
            canceled.Writer.Complete();
            s_served = null;
        }

        Assert.True(controlRead.IsCompleted);
    }

    [Fact]
    public async Task A_collected_channel_is_reported_by_the_leak_report_and_not_again_by_the_watchdog()
    {
        ChannelDiagnostics.StuckThreshold = ShortThreshold;
        // A live channel, so that the watchdog keeps looking once the abandoned one is gone (it stops with no channel).
        var watched = new RendezvousChannel<WatchedMarker>();
        WeakReference channel = CreateAbandonedChannelWithParkedReader();

        BlockedChannelInfo stuck = await NextReportFor<CollectedMarker>(count: 1);
        Assert.Equal(1, stuck.BlockedReaders);

        // Nothing in the registry or the watchdog keeps it alive: collected and reported as a leak.
        for (int round = 0; round < 10 && !_leakReports.Any(r => r.ChannelType == typeof(RendezvousChannel<CollectedMarker>)); round++)
        {
            ForceFullCollection();
        }

        ChannelLeakReport leak = Assert.Single(_leakReports, r => r.ChannelType == typeof(RendezvousChannel<CollectedMarker>));
        Assert.Equal(1, leak.BlockedReaders);
        Assert.False(channel.IsAlive);

        // The watchdog goes on looking and never sees it again.
        await WatchdogLooks(3);
        Assert.Single(ReportsFor<CollectedMarker>());
        Assert.DoesNotContain(ChannelDiagnostics.GetBlockedChannels(), c => c.ChannelType == typeof(RendezvousChannel<CollectedMarker>));
        watched.Writer.Complete();
    }

    [Fact]
    public async Task Reports_go_to_the_event_source_and_without_a_subscriber_to_Trace()
    {
        using var events = new RecordingEventListener();
        using var trace = new RecordingTraceListener();
        ChannelDiagnostics.StuckChannelDetected -= OnStuck;
        System.Diagnostics.Trace.Listeners.Add(trace);
        var channel = new RendezvousChannel<TracedMarker>();
        try
        {
            ValueTask write = channel.Writer.WriteAsync(new TracedMarker());
            Assert.False(write.IsCompleted);
            ChannelDiagnostics.StuckThreshold = ShortThreshold;

            string needle = "RendezvousChannel<" + nameof(TracedMarker) + ">: 0 readers and 1 writer blocked, the oldest for ";
            await WaitUntil(() => trace.Messages.Any(m => m.Contains(needle, StringComparison.Ordinal)), "the report in Trace");
            Assert.Contains(trace.Messages, m => m.Contains("Stuck channel (an operation parked longer than 0.1 s): " + needle, StringComparison.Ordinal));

            System.Diagnostics.Tracing.EventWrittenEventArgs written = Assert.Single(events.Events, e =>
                e.EventId == ChannelEventSource.ChannelStuckEventId &&
                (string)e.Payload![0]! == typeof(RendezvousChannel<TracedMarker>).ToString());
            Assert.Equal("ChannelStuck", written.EventName);
            Assert.Equal(System.Diagnostics.Tracing.EventLevel.Warning, written.Level);
            Assert.Equal(["channelType", "creationStackTrace", "blockedReaders", "blockedWriters", "oldestWaitMilliseconds"], written.PayloadNames!);
            Assert.Contains(nameof(Reports_go_to_the_event_source_and_without_a_subscriber_to_Trace), (string)written.Payload![1]!, StringComparison.Ordinal);
            Assert.Equal(0, written.Payload[2]);
            Assert.Equal(1, written.Payload[3]);
            Assert.True((long)written.Payload[4]! >= (long)ShortThreshold.TotalMilliseconds);
        }
        finally
        {
            System.Diagnostics.Trace.Listeners.Remove(trace);
            channel.Writer.Complete();
        }
    }

    [Fact]
    public void Snapshot_lists_live_channels_with_their_blocked_operations_longest_wait_first()
    {
        var rendezvous = new RendezvousChannel<SnapshotMarker>();
        var ring = new RingBufferChannel<SnapshotRingMarker>(1);
        var idle = new RendezvousChannel<SnapshotIdleMarker>();
        try
        {
            ValueTask<SnapshotMarker> read = rendezvous.Reader.ReadAsync();
            ValueTask<bool> waitToWrite = rendezvous.Writer.WaitToWriteAsync();
            Assert.True(waitToWrite.IsCompleted, "A parked reader makes WaitToWrite true at once.");
            ValueTask<bool> waitToRead = rendezvous.Reader.WaitToReadAsync();
            Assert.False(waitToRead.IsCompleted);
            Assert.True(ring.Writer.TryWrite(new SnapshotRingMarker()));
            ValueTask fullWrite = ring.Writer.WriteAsync(new SnapshotRingMarker());
            ValueTask<bool> waitToWriteRing = ring.Writer.WaitToWriteAsync();
            Assert.False(fullWrite.IsCompleted || waitToWriteRing.IsCompleted);

            IReadOnlyList<BlockedChannelInfo> snapshot = ChannelDiagnostics.GetBlockedChannels();
            foreach (BlockedChannelInfo info in snapshot)
            {
                _output.WriteLine(info.ToString());
            }

            BlockedChannelInfo ofRendezvous = Assert.Single(snapshot, c => c.ChannelType == typeof(RendezvousChannel<SnapshotMarker>));
            Assert.Equal(2, ofRendezvous.BlockedReaders);
            Assert.Equal(0, ofRendezvous.BlockedWriters);
            Assert.NotNull(ofRendezvous.OldestWait);
            AssertCreatedBy(ofRendezvous.CreationStackTrace, nameof(Snapshot_lists_live_channels_with_their_blocked_operations_longest_wait_first));
            BlockedChannelInfo ofRing = Assert.Single(snapshot, c => c.ChannelType == typeof(RingBufferChannel<SnapshotRingMarker>));
            Assert.Equal(0, ofRing.BlockedReaders);
            Assert.Equal(2, ofRing.BlockedWriters);
            Assert.DoesNotContain(snapshot, c => c.ChannelType == typeof(RendezvousChannel<SnapshotIdleMarker>));

            // Longest wait first: the rendezvous reader parked before the ring's writer.
            Assert.True(IndexOf(snapshot, ofRendezvous) < IndexOf(snapshot, ofRing));
            Assert.StartsWith("RendezvousChannel<SnapshotMarker>: 2 readers and 0 writers blocked, the oldest for ", ofRendezvous.ToString(), StringComparison.Ordinal);

            // The debugger's view is the same list.
            Assert.Contains(ChannelDiagnostics.BlockedChannels, c => c.ChannelType == typeof(RingBufferChannel<SnapshotRingMarker>));

            // Completed channels leave the list.
            rendezvous.Writer.Complete();
            ring.Writer.Complete();
            Assert.DoesNotContain(ChannelDiagnostics.GetBlockedChannels(), c => c.ChannelType == typeof(RendezvousChannel<SnapshotMarker>) || c.ChannelType == typeof(RingBufferChannel<SnapshotRingMarker>));
            Assert.True(read.IsCompleted && waitToRead.IsCompleted && fullWrite.IsCompleted && waitToWriteRing.IsCompleted);
        }
        finally
        {
            rendezvous.Writer.TryComplete();
            ring.Writer.TryComplete();
            idle.Writer.Complete();
        }
    }

    [Fact]
    public void With_detection_off_nothing_is_tracked()
    {
        ChannelDiagnostics.LeakDetectionEnabled = false;
        var channel = new RendezvousChannel<UntrackedMarker>();
        var ring = new RingBufferChannel<UntrackedRingMarker>(1);
        ValueTask<UntrackedMarker> read = channel.Reader.ReadAsync();
        ValueTask<UntrackedRingMarker> ringRead = ring.Reader.ReadAsync();
        Assert.False(read.IsCompleted || ringRead.IsCompleted);

        for (LiveChannelRegistry.Entry? entry = LiveChannelRegistry.First; entry is not null; entry = entry.Next)
        {
            if (entry.TryGetLiveRegistration(out ChannelRegistration registration))
            {
                Assert.NotSame(channel, registration.Channel);
                Assert.NotSame(ring, registration.Channel);
            }
        }

        Assert.DoesNotContain(ChannelDiagnostics.GetBlockedChannels(), c => c.ChannelType == typeof(RendezvousChannel<UntrackedMarker>) || c.ChannelType == typeof(RingBufferChannel<UntrackedRingMarker>));
        channel.Writer.Complete();
        ring.Writer.Complete();
    }

    [Fact]
    public async Task With_detection_on_and_the_watchdog_running_parking_allocates_nothing_per_operation()
    {
        // Tracking costs per channel, never per operation: the park timestamp is a field of the pooled waiter.
        ChannelDiagnostics.StuckThreshold = TimeSpan.FromSeconds(30);
        var channel = new RendezvousChannel<int>();
        var ring = new RingBufferChannel<int>(1);
        Assert.True(StuckChannelWatchdog.Threshold.HasValue);
        try
        {
            await AllocationMeter.AssertAllocationFree(
                "WriteAsync/ReadAsync, tracked rendezvous, watchdog on",
                n => Task.WhenAll(ChannelWorkloads.WriteAsyncEach(channel.Writer, n), ChannelWorkloads.ReadAsyncEach(channel.Reader, n)),
                _output);
            await AllocationMeter.AssertAllocationFree(
                "WriteAsync/ReadAsync, tracked ring of 1, watchdog on",
                n => Task.WhenAll(ChannelWorkloads.WriteAsyncEach(ring.Writer, n), ChannelWorkloads.ReadAsyncEach(ring.Reader, n)),
                _output);
        }
        finally
        {
            channel.Writer.Complete();
            ring.Writer.Complete();
        }
    }

    [Fact]
    public void Threshold_must_be_positive_or_null()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelDiagnostics.StuckThreshold = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelDiagnostics.StuckThreshold = TimeSpan.FromSeconds(-1));
        ChannelDiagnostics.StuckThreshold = TimeSpan.FromSeconds(30);
        Assert.InRange(ChannelDiagnostics.StuckThreshold!.Value, TimeSpan.FromSeconds(30) - TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(1));
        ChannelDiagnostics.StuckThreshold = null;
        Assert.Null(ChannelDiagnostics.StuckThreshold);
    }

    // ---- Helpers ----

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAbandonedChannelWithParkedReader()
    {
        var channel = new RendezvousChannel<CollectedMarker>();
        Assert.False(ReadOneAsync(channel.Reader).IsCompleted);
        return new WeakReference(channel);
    }

    private static async Task ReadOneAsync<T>(ChannelReader<T> reader) => _ = await reader.ReadAsync();

    private void OnStuck(BlockedChannelInfo info) => _stuckReports.Enqueue(info);

    private void OnLeak(ChannelLeakReport report) => _leakReports.Enqueue(report);

    private List<BlockedChannelInfo> ReportsFor<TItem>() =>
        _stuckReports.Where(r => r.ChannelType.GetGenericArguments()[0] == typeof(TItem)).ToList();

    /// <summary>Waits (up to the hang timeout) until the channel of <typeparamref name="TItem"/> has been reported <paramref name="count"/> times; returns the last report.</summary>
    private async Task<BlockedChannelInfo> NextReportFor<TItem>(int count)
    {
        await WaitUntil(() => ReportsFor<TItem>().Count >= count, $"watchdog report #{count} for {typeof(TItem).Name}");
        return ReportsFor<TItem>()[count - 1];
    }

    /// <summary>Waits until the watchdog has started and finished <paramref name="looks"/> looks at every channel after this call.</summary>
    private static Task WatchdogLooks(int looks)
    {
        // +1: the look in progress now may have started before the caller's last change.
        int target = StuckChannelWatchdog.CompletedLooks + looks + 1;
        return WaitUntil(() => StuckChannelWatchdog.CompletedLooks >= target, $"{looks} more looks of the watchdog");
    }

    /// <summary>As <see cref="WatchdogLooks"/>, blocking this thread.</summary>
    private static void BlockUntilWatchdogLooks(int looks)
    {
        int target = StuckChannelWatchdog.CompletedLooks + looks + 1;
        BlockUntil(() => StuckChannelWatchdog.CompletedLooks >= target, $"{looks} more looks of the watchdog");
    }

    private static void BlockUntil(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Eventually.HangTimeout)
            {
                Assert.Fail($"Timed out after {Eventually.HangTimeout.TotalSeconds} s waiting for {what}.");
            }

            Thread.Sleep(10);
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > Eventually.HangTimeout)
            {
                Assert.Fail($"Timed out after {Eventually.HangTimeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    private static void ForceFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static int IndexOf(IReadOnlyList<BlockedChannelInfo> list, BlockedChannelInfo item)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (ReferenceEquals(list[i], item))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AssertCreatedBy(string creationStackTrace, string method)
    {
        // The stack starts at the creator: the frames of the channel's constructor and of the tracker are skipped.
        string firstFrame = creationStackTrace.TrimStart().Split('\n')[0];
        Assert.StartsWith("at " + typeof(StuckOperationTests).FullName + "." + method, firstFrame, StringComparison.Ordinal);
    }

    private sealed class HeldMarker;

    private sealed class ServedMarker;

    private sealed class ControlMarker;

    private sealed class CanceledMarker;

    private sealed class CompletedMarker;

    private sealed class CollectedMarker;

    private sealed class WatchedMarker;

    private sealed class SnapshotMarker;

    private sealed class SnapshotRingMarker;

    private sealed class SnapshotIdleMarker;

    private sealed class UntrackedMarker;

    private sealed class UntrackedRingMarker;

    private sealed class TracedMarker;

    /// <summary>Records the events of the RendezvousChannel event source, as dotnet-trace would see them.</summary>
    private sealed class RecordingEventListener : System.Diagnostics.Tracing.EventListener
    {
        // Initialized before the base constructor, which may already call OnEventSourceCreated.
        private readonly ConcurrentQueue<System.Diagnostics.Tracing.EventWrittenEventArgs> _events = new();

        public IReadOnlyCollection<System.Diagnostics.Tracing.EventWrittenEventArgs> Events => _events;

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "RendezvousChannel")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData) => _events.Enqueue(eventData);
    }

    /// <summary>Records what is written to <see cref="System.Diagnostics.Trace"/>.</summary>
    private sealed class RecordingTraceListener : System.Diagnostics.TraceListener
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public override void Write(string? message) => _messages.Enqueue(message ?? string.Empty);

        public override void WriteLine(string? message) => _messages.Enqueue(message ?? string.Empty);
    }
}
