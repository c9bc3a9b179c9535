using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Issue 5: every channel that is garbage-collected without having been completed is reported, with the right
/// type, blocked counts and creation stack; completed channels never are; nothing is tracked while detection
/// is off. These tests flip a process-wide switch and force full collections, so they run alone (their own
/// collection, parallelization disabled) and restore the switch after each test.
/// </summary>
/// <remarks>
/// Reliability: every channel is created in a <see cref="MethodImplOptions.NoInlining"/> helper, so when the
/// helper returns no local (not even in a Debug build, where the JIT keeps locals alive to the end of their
/// method) references it. Each test uses its own private item type, and reports are filtered by it, so
/// channels that other tests abandoned (reported too, in a Debug build) never confuse a test. The only waiting
/// is forced collection: <c>GC.Collect</c> + <c>GC.WaitForPendingFinalizers</c>, repeated a bounded number of times.
/// </remarks>
[CollectionDefinition(CollectionName, DisableParallelization = true)]
[Collection(CollectionName)]
public sealed class LeakDetectionTests : IDisposable
{
    /// <summary>The collection these tests run in, alone, since they change a process-wide setting.</summary>
    public const string CollectionName = "LeakDetection (process-wide switch)";

    /// <summary>Rounds of forced collection before a test gives up on a report; one round normally suffices.</summary>

    private readonly ITestOutputHelper _output;
    private readonly bool _previousSetting;
    private readonly ConcurrentQueue<ChannelLeakReport> _reports = new();

    public LeakDetectionTests(ITestOutputHelper output)
    {
        _output = output;
        _previousSetting = ChannelDiagnostics.LeakDetectionEnabled;
        // On explicitly: a Release build of the library starts with detection off.
        ChannelDiagnostics.LeakDetectionEnabled = true;
        ChannelDiagnostics.LeakDetected += OnLeakDetected;
    }

    public void Dispose()
    {
        ChannelDiagnostics.LeakDetected -= OnLeakDetected;
        ChannelDiagnostics.LeakDetectionEnabled = _previousSetting;
    }

    // ---- Rendezvous channel ----

    [Fact]
    public void Never_used_never_completed_rendezvous_is_reported_with_nobody_blocked()
    {
        CreateNeverUsedRendezvous();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<NeverUsedMarker>>();
        Assert.Equal(0, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateNeverUsedRendezvous));
    }

    [Fact]
    public void Abandoned_rendezvous_with_a_parked_async_reader_is_collected_with_its_reader_and_reported()
    {
        (WeakReference channel, WeakReference consumer) = CreateRendezvousWithAbandonedReader();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<ParkedReaderMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateRendezvousWithAbandonedReader));

        // Nothing static (pool, registry, timer, registration) kept the channel or the awaiting method alive:
        // both are gone, which is exactly the silent loss the report exists to reveal.
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "The abandoned channel was collected.");
        Assert.False(consumer.IsAlive, "The async method parked in ReadAsync was collected with it.");
    }

    [Fact]
    public void Abandoned_rendezvous_with_parked_async_writers_is_reported_with_their_count()
    {
        WeakReference channel = CreateRendezvousWithAbandonedWriters(count: 3);

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<ParkedWritersMarker>>();
        Assert.Equal(0, report.BlockedReaders);
        Assert.Equal(3, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateRendezvousWithAbandonedWriters));
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "The abandoned channel was collected.");
    }

    [Fact]
    public void Abandoned_rendezvous_with_an_await_foreach_consumer_stuck_in_ReadAllAsync_is_reported()
    {
        (WeakReference channel, WeakReference consumer) = CreateRendezvousWithAbandonedAwaitForeach();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<ReadAllMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateRendezvousWithAbandonedAwaitForeach));
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "The abandoned channel was collected.");
        Assert.False(consumer.IsAlive, "The await foreach consumer was collected with it.");
    }

    [Fact]
    public void WaitTo_callers_count_as_blocked_readers_and_writers()
    {
        CreateRendezvousWithAbandonedWaitToCallers();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<WaitToMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(1, report.BlockedWriters);
    }

    [Fact]
    public void Abandoned_cancellation_source_does_not_keep_a_parked_reader_alive_and_canceled_readers_are_not_counted()
    {
        CreateRendezvousWithCancellableReaders();

        // Two readers parked with tokens of abandoned (never canceled) sources, one canceled before abandonment.
        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<CancellationMarker>>();
        Assert.Equal(2, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
    }

    [Fact]
    public void Completed_rendezvous_channels_are_never_reported()
    {
        CreateCompletedRendezvousChannelsAndOneAbandonedControl();

        // The control proves that collection and finalization happened; one more round for good measure.
        CollectUntilReported<RendezvousChannel<CompletedControlMarker>>();
        ForcedCollections.Full();
        Assert.Empty(ReportsFor(typeof(RendezvousChannel<CompletedMarker>)));
        Assert.Empty(ReportsFor(typeof(RendezvousChannel<CompletedWithErrorMarker>)));
        Assert.Empty(ReportsFor(typeof(RendezvousChannel<CompletedWhileParkedMarker>)));
    }

    [Fact]
    public void Channels_created_while_detection_is_off_are_never_reported()
    {
        ChannelDiagnostics.LeakDetectionEnabled = false;
        CreateAbandonedRendezvous<DetectionOffMarker>();
        ChannelDiagnostics.LeakDetectionEnabled = true;
        CreateAbandonedRendezvous<DetectionOffControlMarker>();

        CollectUntilReported<RendezvousChannel<DetectionOffControlMarker>>();
        ForcedCollections.Full();
        Assert.Empty(ReportsFor(typeof(RendezvousChannel<DetectionOffMarker>)));
    }

    [Fact]
    public void Detection_setting_applies_to_channels_created_afterwards()
    {
        // Created while on, then switched off before it is collected: still tracked, still reported.
        CreateAbandonedRendezvous<SwitchedOffLaterMarker>();
        ChannelDiagnostics.LeakDetectionEnabled = false;

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<SwitchedOffLaterMarker>>();
        Assert.Equal(0, report.BlockedReaders + report.BlockedWriters);
    }

    [Fact]
    public void Report_reads_as_one_paragraph_naming_the_type_the_blocked_operations_and_the_creator()
    {
        CreateRendezvousWithAbandonedReader<ToStringMarker>();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<ToStringMarker>>();
        string text = report.ToString();
        _output.WriteLine(text);
        Assert.StartsWith("Leaked channel: a RendezvousChannel<ToStringMarker> was garbage-collected without having been completed, with 1 reader and 0 writers still blocked on it.", text, StringComparison.Ordinal);
        Assert.Contains("channel.Writer.Complete()", text, StringComparison.Ordinal);
        Assert.Contains(nameof(CreateRendezvousWithAbandonedReader), text, StringComparison.Ordinal);
        Assert.Contains(report.CreationStackTrace.TrimEnd(), text, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_of_a_channel_nobody_used_says_so()
    {
        CreateAbandonedRendezvous<UnusedToStringMarker>();

        string text = CollectUntilReported<RendezvousChannel<UnusedToStringMarker>>().ToString();
        _output.WriteLine(text);
        Assert.StartsWith("Leaked channel: a RendezvousChannel<UnusedToStringMarker> was garbage-collected without having been completed, with no reader or writer blocked on it.", text, StringComparison.Ordinal);
    }

    // ---- Ring buffer channel ----

    [Fact]
    public void Never_used_never_completed_ring_is_reported_with_nobody_blocked()
    {
        CreateNeverUsedRing();

        ChannelLeakReport report = CollectUntilReported<RingBufferChannel<RingNeverUsedMarker>>();
        Assert.Equal(0, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateNeverUsedRing));
    }

    [Fact]
    public void Abandoned_empty_ring_with_a_parked_async_reader_is_collected_with_its_reader_and_reported()
    {
        (WeakReference channel, WeakReference consumer) = CreateEmptyRingWithAbandonedReader();

        ChannelLeakReport report = CollectUntilReported<RingBufferChannel<RingParkedReaderMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateEmptyRingWithAbandonedReader));
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "The abandoned ring was collected.");
        Assert.False(consumer.IsAlive, "The async method parked in ReadAsync was collected with it.");
    }

    [Fact]
    public void Abandoned_full_ring_with_parked_async_writers_is_reported_with_their_count()
    {
        WeakReference channel = CreateFullRingWithAbandonedWriters(count: 2);

        ChannelLeakReport report = CollectUntilReported<RingBufferChannel<RingParkedWritersMarker>>();
        Assert.Equal(0, report.BlockedReaders);
        Assert.Equal(2, report.BlockedWriters);
        AssertCreatedBy(report, nameof(CreateFullRingWithAbandonedWriters));
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "The abandoned ring was collected.");
    }

    [Fact]
    public void Abandoned_ring_with_an_await_foreach_consumer_stuck_in_ReadAllAsync_is_reported()
    {
        CreateRingWithAbandonedAwaitForeach();

        ChannelLeakReport report = CollectUntilReported<RingBufferChannel<RingReadAllMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
    }

    [Fact]
    public void Completed_ring_channels_are_never_reported()
    {
        CreateCompletedRingsAndOneAbandonedControl();

        CollectUntilReported<RingBufferChannel<RingCompletedControlMarker>>();
        ForcedCollections.Full();
        Assert.Empty(ReportsFor(typeof(RingBufferChannel<RingCompletedMarker>)));
        Assert.Empty(ReportsFor(typeof(RingBufferChannel<RingCompletedWithItemsMarker>)));
        Assert.Empty(ReportsFor(typeof(RingBufferChannel<RingCompletedWhileParkedMarker>)));
    }

    [Fact]
    public void A_ring_whose_constructor_throws_is_never_reported()
    {
        CreateRingWithInvalidCapacityAndOneAbandonedControl();

        CollectUntilReported<RingBufferChannel<RingInvalidControlMarker>>();
        ForcedCollections.Full();
        Assert.Empty(ReportsFor(typeof(RingBufferChannel<RingInvalidMarker>)));
    }

    // ---- Delivery: subscribers, event source, trace ----

    [Fact]
    public void A_throwing_subscriber_neither_crashes_the_process_nor_starves_the_other_subscribers()
    {
        // Subscribe the thrower first, so that ours runs after it has thrown.
        ChannelDiagnostics.LeakDetected -= OnLeakDetected;
        ChannelDiagnostics.LeakDetected += ThrowingSubscriber;
        ChannelDiagnostics.LeakDetected += OnLeakDetected;
        using var listener = new RecordingEventListener();
        try
        {
            CreateAbandonedRendezvous<ThrowingSubscriberMarker>();

            // Reaching the assertion at all means the finalizer thread survived the exception.
            CollectUntilReported<RendezvousChannel<ThrowingSubscriberMarker>>();
            Assert.Contains(listener.Events, e =>
                e.EventId == ChannelEventSource.LeakHandlerFailedEventId &&
                ((string)e.Payload![0]!).Contains(nameof(ThrowingSubscriberMarker), StringComparison.Ordinal));
        }
        finally
        {
            ChannelDiagnostics.LeakDetected -= ThrowingSubscriber;
        }
    }

    [Fact]
    public void Reports_are_written_to_the_RendezvousChannel_event_source()
    {
        using var listener = new RecordingEventListener();
        CreateRendezvousWithAbandonedReader<EventSourceMarker>();

        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<EventSourceMarker>>();
        EventWrittenEventArgs written = Assert.Single(listener.Events, e =>
            e.EventId == ChannelEventSource.ChannelLeakedEventId &&
            (string)e.Payload![0]! == typeof(RendezvousChannel<EventSourceMarker>).ToString());
        Assert.Equal("RendezvousChannel", written.EventSource.Name);
        Assert.Equal("ChannelLeaked", written.EventName);
        Assert.Equal(EventLevel.Warning, written.Level);
        Assert.Equal(["channelType", "creationStackTrace", "blockedReaders", "blockedWriters"], written.PayloadNames!);
        Assert.Equal(report.CreationStackTrace, written.Payload![1]);
        Assert.Equal(1, written.Payload[2]);
        Assert.Equal(0, written.Payload[3]);
    }

    [Fact]
    public void With_no_subscriber_reports_go_to_Trace()
    {
        ChannelDiagnostics.LeakDetected -= OnLeakDetected;
        using var listener = new RecordingTraceListener();
        Trace.Listeners.Add(listener);
        try
        {
            CreateAbandonedRendezvous<TraceMarker>();

            string needle = "a RendezvousChannel<" + nameof(TraceMarker) + "> was garbage-collected";
            ForcedCollections.Until(() => listener.Messages.Any(m => m.Contains(needle, StringComparison.Ordinal)));
            Assert.Contains(listener.Messages, m => m.Contains(needle, StringComparison.Ordinal));
        }
        finally
        {
            Trace.Listeners.Remove(listener);
        }
    }

    // ---- Switches ----

    [Theory]
    [InlineData("1", null, false, true)]
    [InlineData("true", null, false, true)]
    [InlineData(" TRUE ", false, false, true)]
    [InlineData("0", true, true, false)]
    [InlineData("false", null, true, false)]
    [InlineData(null, true, false, true)]
    [InlineData(null, false, true, false)]
    [InlineData(null, null, true, true)]
    [InlineData(null, null, false, false)]
    [InlineData("", true, false, true)]
    [InlineData("yes please", false, true, false)]
    public void Default_setting_is_the_environment_variable_then_the_AppContext_switch_then_the_build(
        string? environmentValue, bool? appContextSwitch, bool buildDefault, bool expected) =>
        Assert.Equal(expected, ChannelDiagnostics.ResolveDefault(environmentValue, appContextSwitch, buildDefault));

    [Fact]
    public void Default_with_nothing_set_is_off_in_every_build_of_the_library()
    {
        // The package is a Release build, so "on in Debug" comes from the switch the package's build targets
        // set from the application's configuration (tests/PackageConsumer, run by .ci/run), never from here.
        Assert.False(ChannelDiagnostics.BuildDefault);
    }

    // ---- Helpers that create channels: never inlined, so no caller's local outlives them ----

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateNeverUsedRendezvous() => _ = new RendezvousChannel<NeverUsedMarker>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAbandonedRendezvous<T>() => _ = new RendezvousChannel<T>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Channel, WeakReference Consumer) CreateRendezvousWithAbandonedReader() =>
        CreateRendezvousWithAbandonedReader<ParkedReaderMarker>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Channel, WeakReference Consumer) CreateRendezvousWithAbandonedReader<T>()
    {
        var channel = new RendezvousChannel<T>();
        Task consumer = ReadOneAsync(channel.Reader);
        Assert.False(consumer.IsCompleted);
        Assert.Equal(1, ((ILeakTrackable)channel).BlockedReaders);
        return (new WeakReference(channel), new WeakReference(consumer));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateRendezvousWithAbandonedWriters(int count)
    {
        var channel = new RendezvousChannel<ParkedWritersMarker>();
        for (int i = 0; i < count; i++)
        {
            Assert.False(WriteOneAsync(channel.Writer, new ParkedWritersMarker()).IsCompleted);
        }

        Assert.Equal(count, ((ILeakTrackable)channel).BlockedWriters);
        return new WeakReference(channel);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Channel, WeakReference Consumer) CreateRendezvousWithAbandonedAwaitForeach()
    {
        var channel = new RendezvousChannel<ReadAllMarker>();
        Task consumer = ReadAllAsync(channel.Reader);
        Assert.False(consumer.IsCompleted);
        return (new WeakReference(channel), new WeakReference(consumer));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateRendezvousWithAbandonedWaitToCallers()
    {
        var channel = new RendezvousChannel<WaitToMarker>();
        Assert.False(WaitToReadAsync(channel.Reader).IsCompleted);
        Assert.False(WaitToWriteAsync(channel.Writer).IsCompleted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateRendezvousWithCancellableReaders()
    {
        var channel = new RendezvousChannel<CancellationMarker>();
#pragma warning disable CA2000 // Deliberately never disposed: an abandoned source must not keep its registrations' channel alive.
        Assert.False(ReadOneAsync(channel.Reader, new CancellationTokenSource().Token).IsCompleted);
        Assert.False(ReadOneAsync(channel.Reader, new CancellationTokenSource().Token).IsCompleted);
#pragma warning restore CA2000
        using var canceled = new CancellationTokenSource();
        Task canceledReader = ReadOneAsync(channel.Reader, canceled.Token);
        canceled.Cancel();
        Assert.Equal(2, ((ILeakTrackable)channel).BlockedReaders);
        GC.KeepAlive(canceledReader);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateCompletedRendezvousChannelsAndOneAbandonedControl()
    {
        new RendezvousChannel<CompletedMarker>().Writer.Complete();
        Assert.True(new RendezvousChannel<CompletedWithErrorMarker>().Writer.TryComplete(new InvalidOperationException("done")));

        var parked = new RendezvousChannel<CompletedWhileParkedMarker>();
        Task reader = ReadOneAsync(parked.Reader);
        Task writer = WaitToWriteAsync(parked.Writer);
        parked.Writer.Complete();
        GC.KeepAlive(reader);
        GC.KeepAlive(writer);

        _ = new RendezvousChannel<CompletedControlMarker>();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateNeverUsedRing() => _ = new RingBufferChannel<RingNeverUsedMarker>(4);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Channel, WeakReference Consumer) CreateEmptyRingWithAbandonedReader()
    {
        var channel = new RingBufferChannel<RingParkedReaderMarker>(4);
        Task consumer = ReadOneAsync(channel.Reader);
        Assert.False(consumer.IsCompleted);
        Assert.Equal(1, ((ILeakTrackable)channel).BlockedReaders);
        return (new WeakReference(channel), new WeakReference(consumer));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateFullRingWithAbandonedWriters(int count)
    {
        var channel = new RingBufferChannel<RingParkedWritersMarker>(2);
        Assert.True(channel.Writer.TryWrite(new RingParkedWritersMarker()));
        Assert.True(channel.Writer.TryWrite(new RingParkedWritersMarker()));
        for (int i = 0; i < count; i++)
        {
            Assert.False(WriteOneAsync(channel.Writer, new RingParkedWritersMarker()).IsCompleted);
        }

        Assert.Equal(count, ((ILeakTrackable)channel).BlockedWriters);
        return new WeakReference(channel);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateRingWithAbandonedAwaitForeach()
    {
        var channel = new RingBufferChannel<RingReadAllMarker>(4);
        Assert.True(channel.Writer.TryWrite(new RingReadAllMarker()));
        // The consumer takes the one item, then waits in ReadAllAsync for more that never come.
        Assert.False(ReadAllAsync(channel.Reader).IsCompleted);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateCompletedRingsAndOneAbandonedControl()
    {
        new RingBufferChannel<RingCompletedMarker>(4).Writer.Complete();

        // Completed but never drained: not a leak, since no operation can block on it any more.
        var withItems = new RingBufferChannel<RingCompletedWithItemsMarker>(4);
        Assert.True(withItems.Writer.TryWrite(new RingCompletedWithItemsMarker()));
        withItems.Writer.Complete();

        var parked = new RingBufferChannel<RingCompletedWhileParkedMarker>(1);
        Task reader = ReadOneAsync(parked.Reader);
        parked.Writer.Complete();
        GC.KeepAlive(reader);

        _ = new RingBufferChannel<RingCompletedControlMarker>(4);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateRingWithInvalidCapacityAndOneAbandonedControl()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBufferChannel<RingInvalidMarker>(0));
        _ = new RingBufferChannel<RingInvalidControlMarker>(1);
    }

    // ---- The abandoned async methods ----

    private static async Task ReadOneAsync<T>(ChannelReader<T> reader, CancellationToken cancellationToken = default)
    {
        try
        {
            // Parks forever unless the channel is completed or the token canceled.
            _ = await reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteOneAsync<T>(ChannelWriter<T> writer, T item) => await writer.WriteAsync(item);

    private static async Task ReadAllAsync<T>(ChannelReader<T> reader)
    {
        await foreach (T item in reader.ReadAllAsync())
        {
            GC.KeepAlive(item);
        }
    }

    private static async Task WaitToReadAsync<T>(ChannelReader<T> reader) => _ = await reader.WaitToReadAsync();

    private static async Task WaitToWriteAsync<T>(ChannelWriter<T> writer) => _ = await writer.WaitToWriteAsync();

    // ---- Collecting and filtering ----

    private void OnLeakDetected(ChannelLeakReport report) => _reports.Enqueue(report);

    private static void ThrowingSubscriber(ChannelLeakReport report) =>
        throw new InvalidOperationException("Subscriber bug while handling " + report.ChannelType.Name + "<" + report.ChannelType.GetGenericArguments()[0].Name + ">");

    private List<ChannelLeakReport> ReportsFor(Type channelType) =>
        _reports.Where(r => r.ChannelType == channelType).ToList();

    /// <summary>Forces collections until the one channel of <typeparamref name="TChannel"/> is reported, and returns its report.</summary>
    private ChannelLeakReport CollectUntilReported<TChannel>()
    {
        Assert.True(ForcedCollections.Until(() => ReportsFor(typeof(TChannel)).Count != 0), $"No leak report for {typeof(TChannel)} after repeated forced collections.");
        // A second round must not report it again: a tracker reports once.
        ForcedCollections.Full();
        return Assert.Single(ReportsFor(typeof(TChannel)));
    }

    private static void AssertCreatedBy(ChannelLeakReport report, string creatingMethod)
    {
        // The stack starts at the creator: the channel's constructor and the tracker's frames are skipped.
        string firstFrame = report.CreationStackTrace.TrimStart().Split('\n')[0];
        Assert.StartsWith("at " + typeof(LeakDetectionTests).FullName + "." + creatingMethod, firstFrame, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(LeakTracker), report.CreationStackTrace, StringComparison.Ordinal);
    }

    // ---- Marker item types: one per test, so each test sees only its own channels' reports ----

    private sealed class NeverUsedMarker;

    private sealed class ParkedReaderMarker;

    private sealed class ParkedWritersMarker;

    private sealed class ReadAllMarker;

    private sealed class WaitToMarker;

    private sealed class CancellationMarker;

    private sealed class CompletedMarker;

    private sealed class CompletedWithErrorMarker;

    private sealed class CompletedWhileParkedMarker;

    private sealed class CompletedControlMarker;

    private sealed class DetectionOffMarker;

    private sealed class DetectionOffControlMarker;

    private sealed class SwitchedOffLaterMarker;

    private sealed class ToStringMarker;

    private sealed class UnusedToStringMarker;

    private sealed class ThrowingSubscriberMarker;

    private sealed class EventSourceMarker;

    private sealed class TraceMarker;

    private sealed class RingNeverUsedMarker;

    private sealed class RingParkedReaderMarker;

    private sealed class RingParkedWritersMarker;

    private sealed class RingReadAllMarker;

    private sealed class RingCompletedMarker;

    private sealed class RingCompletedWithItemsMarker;

    private sealed class RingCompletedWhileParkedMarker;

    private sealed class RingCompletedControlMarker;

    private sealed class RingInvalidMarker;

    private sealed class RingInvalidControlMarker;

    /// <summary>Records the events of the RendezvousChannel event source, as dotnet-trace would see them.</summary>
    private sealed class RecordingEventListener : EventListener
    {
        // Initialized before the base constructor, which may already call OnEventSourceCreated.
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();

        public IReadOnlyCollection<EventWrittenEventArgs> Events => _events;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "RendezvousChannel")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData) => _events.Enqueue(eventData);
    }

    /// <summary>Records what is written to <see cref="Trace"/>.</summary>
    private sealed class RecordingTraceListener : TraceListener
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public override void Write(string? message) => _messages.Enqueue(message ?? string.Empty);

        public override void WriteLine(string? message) => _messages.Enqueue(message ?? string.Empty);
    }
}
