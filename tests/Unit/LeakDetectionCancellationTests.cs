using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Issue 11, point 7: what a parked <c>ReadAsync(token)</c> whose <see cref="CancellationTokenSource"/> is still
/// alive keeps alive. The source's registration references the parked operation (its waiter), which references
/// its queue and the code awaiting it, but not the channel: so the channel stays alive only if that awaiting
/// code references it, and a channel that nothing else references is collected and reported even though the
/// operation parked on it can still be canceled (and its awaiting code then still runs).
/// </summary>
/// <remarks>
/// Runs in the leak-detection tests' collection (by name): it changes the process-wide switch and forces
/// collections, so it must not run beside them. Same reliability rules as there: channels are created in
/// <see cref="MethodImplOptions.NoInlining"/> helpers, each test has its own item types, reports are filtered by
/// type, and the only waiting is a bounded number of forced collections.
/// </remarks>
[Collection("LeakDetection (process-wide switch)")]
public sealed class LeakDetectionCancellationTests : IDisposable
{

    private readonly bool _previousSetting;
    private readonly ConcurrentQueue<ChannelLeakReport> _reports = new();

    public LeakDetectionCancellationTests()
    {
        _previousSetting = ChannelDiagnostics.LeakDetectionEnabled;
        ChannelDiagnostics.LeakDetectionEnabled = true;
        ChannelDiagnostics.LeakDetected += OnLeakDetected;
    }

    public void Dispose()
    {
        ChannelDiagnostics.LeakDetected -= OnLeakDetected;
        ChannelDiagnostics.LeakDetectionEnabled = _previousSetting;
    }

    [Fact]
    public async Task A_live_token_source_keeps_the_parked_read_alive_but_not_a_channel_that_nothing_else_holds()
    {
        using var source = new CancellationTokenSource();
        (WeakReference channel, Task consumer) = CreateParkedReadWhoseAwaiterDoesNotHoldTheChannel(source.Token);

        // The channel is reported, with the read still counted as blocked, and is gone.
        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<DetachedAwaiterMarker>>();
        Assert.Equal(1, report.BlockedReaders);
        Assert.Equal(0, report.BlockedWriters);
        ForcedCollections.Full();
        Assert.False(channel.IsAlive, "Nothing but the tracker referenced the channel.");

        // The parked read and the code awaiting it were kept alive by the source, and still answer to it.
        Assert.False(consumer.IsCompleted);
        await source.CancelAsync();
        // Bounded: if the source no longer reached the read, the consumer would never finish (a failure, not a hang).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consumer.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_live_token_source_keeps_the_channel_alive_when_the_awaiting_method_holds_the_channel()
    {
        // The box is the only root of the source; this method never loads the source itself, so no
        // unoptimized temporary of this frame can keep it alive after it is dropped below.
        var source = new StrongBox<CancellationTokenSource?>();
        WeakReference channel = CreateParkedReadInAMethodThatHoldsTheReader(source);
        CreateAbandonedControl();

        // The control proves that a collection and its finalizers ran; the held channel was not reported.
        CollectUntilReported<RendezvousChannel<HeldControlMarker>>();
        ForcedCollections.Full();
        Assert.Empty(ReportsFor(typeof(RendezvousChannel<HeldByAwaiterMarker>)));
        Assert.True(channel.IsAlive, "Source -> registration -> waiter -> awaiting method -> reader -> channel.");

        // Drop the source, the last root of that chain: now the channel is collected and reported.
        source.Value = null;
        ChannelLeakReport report = CollectUntilReported<RendezvousChannel<HeldByAwaiterMarker>>();
        Assert.Equal(1, report.BlockedReaders);
    }

    // ---- Helpers that create channels: never inlined, so no caller's local outlives them ----

    /// <summary>The awaiting code holds only the <see cref="ValueTask{T}"/> (that is, the waiter), never the channel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Channel, Task Consumer) CreateParkedReadWhoseAwaiterDoesNotHoldTheChannel(CancellationToken token)
    {
        var channel = new RendezvousChannel<DetachedAwaiterMarker>();
        Task consumer = AwaitAsync(channel.Reader.ReadAsync(token));
        Assert.False(consumer.IsCompleted);
        return (new WeakReference(channel), consumer);
    }

    /// <summary>The awaiting method keeps its <see cref="ChannelReader{T}"/> parameter, which references the channel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateParkedReadInAMethodThatHoldsTheReader(StrongBox<CancellationTokenSource?> sourceHolder)
    {
#pragma warning disable CA2000 // Never disposed on purpose: dropping the last reference to it is what the test does.
        sourceHolder.Value = new CancellationTokenSource();
#pragma warning restore CA2000
        var channel = new RendezvousChannel<HeldByAwaiterMarker>();
        Assert.False(ReadOneAsync(channel.Reader, sourceHolder.Value.Token).IsCompleted);
        return new WeakReference(channel);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAbandonedControl() => _ = new RendezvousChannel<HeldControlMarker>();

    private static async Task AwaitAsync<T>(ValueTask<T> pending) => _ = await pending;

    private static async Task ReadOneAsync<T>(ChannelReader<T> reader, CancellationToken token)
    {
        try
        {
            _ = await reader.ReadAsync(token);
        }
        catch (OperationCanceledException)
        {
        }

        // Uses the reader after the await, so the state machine holds it whatever the compiler optimizes.
        GC.KeepAlive(reader);
    }

    // ---- Collecting and filtering ----

    private void OnLeakDetected(ChannelLeakReport report) => _reports.Enqueue(report);

    private ChannelLeakReport[] ReportsFor(Type channelType) => _reports.Where(r => r.ChannelType == channelType).ToArray();

    private ChannelLeakReport CollectUntilReported<TChannel>()
    {
        Assert.True(ForcedCollections.Until(() => ReportsFor(typeof(TChannel)).Length != 0), $"No leak report for {typeof(TChannel)} after repeated forced collections.");
        return Assert.Single(ReportsFor(typeof(TChannel)));
    }

    private sealed class DetachedAwaiterMarker;

    private sealed class HeldByAwaiterMarker;

    private sealed class HeldControlMarker;
}
