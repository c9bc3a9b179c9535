using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Cancellation leaves the channel as if the operation had never come; misuse of a ValueTask throws.</summary>
public class RendezvousChannelCancellationTests
{
    [Fact]
    public async Task A_canceled_parked_write_is_never_delivered()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        ValueTask write = channel.Writer.WriteAsync(1, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(write));

        Assert.False(channel.Reader.TryRead(out _));
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.False(read.IsCompleted, "The canceled writer's item must not reach a later reader.");
        Assert.True(channel.Writer.TryWrite(2));
        Assert.Equal(2, await read);
    }

    [Fact]
    public async Task A_canceled_parked_read_takes_nothing()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(read));
        Assert.False(channel.Writer.TryWrite(1), "A canceled reader is no longer parked.");

        ValueTask write = channel.Writer.WriteAsync(2);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(2, item);
        await write;
    }

    [Fact]
    public async Task Canceled_waiters_at_the_head_are_skipped_in_order()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> canceled1 = channel.Reader.ReadAsync(cts.Token);
        ValueTask<int> canceled2 = channel.Reader.ReadAsync(cts.Token);
        ValueTask<int> live = channel.Reader.ReadAsync();
        await cts.CancelAsync();
        Assert.True(channel.Writer.TryWrite(5));
        Assert.Equal(5, await Eventually.Completes(live));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled1.AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled2.AsTask());
    }

    [Fact]
    public async Task An_already_canceled_token_fails_at_once_and_changes_nothing()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        ValueTask<int> parkedRead = channel.Reader.ReadAsync();

        ValueTask write = channel.Writer.WriteAsync(1, cts.Token);
        Assert.True(write.IsCanceled);
        Assert.False(parkedRead.IsCompleted, "A canceled call must not hand its item to a parked reader.");
        Assert.True(channel.Reader.ReadAsync(cts.Token).IsCanceled);
        Assert.True(channel.Reader.WaitToReadAsync(cts.Token).IsCanceled);
        Assert.True(channel.Writer.WaitToWriteAsync(cts.Token).IsCanceled);

        Assert.True(channel.Writer.TryWrite(2));
        Assert.Equal(2, await parkedRead);
    }

    [Fact]
    public async Task Canceled_WaitTo_calls_end_canceled()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(wait));
    }

    [Fact]
    public async Task Awaiting_a_ValueTask_twice_throws_InvalidOperationException()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<int> read = channel.Reader.ReadAsync();
        Task<int> first = read.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
        Assert.True(channel.Writer.TryWrite(1));
        Assert.Equal(1, await first);
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task GetResult_on_a_stale_ValueTask_throws_even_after_its_waiter_is_reused()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask write = channel.Writer.WriteAsync(1);
        Assert.True(channel.Reader.TryRead(out _));
        await write;
        ValueTask reused = channel.Writer.WriteAsync(2); // likely the same pooled waiter, with a new token
        Assert.Throws<InvalidOperationException>(() => write.GetAwaiter().GetResult());
        Assert.True(channel.Reader.TryRead(out int second));
        Assert.Equal(2, second);
        await reused;
    }

    [Fact]
    public void Reading_the_result_of_a_pending_operation_throws_InvalidOperationException()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().GetResult());
        channel.Writer.Complete();
    }

    [Fact]
    public void Awaiting_a_ValueTask_again_while_its_first_continuation_waits_to_run_throws_InvalidOperationException()
    {
        // The first continuation is published and handed to a SynchronizationContext that holds it, so it is
        // scheduled but has not run: a second await must be refused, not scheduled a second time.
        var channel = new RendezvousChannel<int>();
        var held = new HoldingSynchronizationContext();
        SynchronizationContext? previous = SynchronizationContext.Current;
        ValueTask<int> read = channel.Reader.ReadAsync();
        int result = 0;
        SynchronizationContext.SetSynchronizationContext(held);
        try
        {
            read.GetAwaiter().OnCompleted(() => result = read.GetAwaiter().GetResult());
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.True(channel.Writer.TryWrite(5));
        Assert.Equal(1, held.Count);
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().OnCompleted(() => { }));
        held.RunAll();
        Assert.Equal(5, result);
    }

    private sealed class HoldingSynchronizationContext : SynchronizationContext
    {
        private readonly System.Collections.Generic.List<(SendOrPostCallback Callback, object? State)> _posted = [];

        public int Count => _posted.Count;

        public override void Post(SendOrPostCallback d, object? state) => _posted.Add((d, state));

        public void RunAll()
        {
            foreach ((SendOrPostCallback callback, object? state) in _posted)
            {
                callback(state);
            }
        }
    }

    [Fact]
    public async Task A_stale_entry_never_claims_its_waiter_in_a_later_use_even_65536_uses_later()
    {
        // A canceled read leaves a dead entry in channel A's queue, behind a live reader, so nothing trims it. Its
        // pooled waiter (idle waiters are per thread, shared by every channel of the same item type) then serves
        // 65536 more reads on channel B and parks there again: a 16-bit version would have wrapped, and A's stale
        // entry would name B's live read. A thread of its own, so that its idle slot starts empty and the reuse is
        // certain (the test checks it); everything runs synchronously on it.
        await Eventually.Completes(Task.Factory.StartNew(
            StaleEntryScenario, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    private static void StaleEntryScenario()
    {
        var a = new RendezvousChannel<int>();
        var b = new RendezvousChannel<int>();
        ValueTask<int> liveOnA = a.Reader.ReadAsync();
        using var cts = new CancellationTokenSource();
        ValueTask<int> canceledOnA = a.Reader.ReadAsync(cts.Token);
        object canceledWaiter = SourceOf(canceledOnA);
        cts.Cancel();
        Assert.True(canceledOnA.IsCanceled);
        // Consume it here: its waiter goes back to this thread's idle slot.
        Assert.Throws<OperationCanceledException>(() => canceledOnA.GetAwaiter().GetResult());

        for (int i = 0; i < (1 << 16) - 1; i++)
        {
            ValueTask<int> read = b.Reader.ReadAsync();
            Assert.True(b.Writer.TryWrite(i));
            Assert.Equal(i, read.GetAwaiter().GetResult());
        }

        ValueTask<int> pendingOnB = b.Reader.ReadAsync();
        Assert.Same(canceledWaiter, SourceOf(pendingOnB));
        Assert.True(a.Writer.TryWrite(1), "A's live reader takes the first item.");
        Assert.False(a.Writer.TryWrite(2), "Only a dead entry is left on A: no reader to take the second item.");
        Assert.False(pendingOnB.IsCompleted, "A's item must never reach a read parked on B.");
        Assert.Equal(1, liveOnA.GetAwaiter().GetResult());

        Assert.True(b.Writer.TryWrite(3));
        Assert.Equal(3, pendingOnB.GetAwaiter().GetResult());
        a.Writer.Complete();
        b.Writer.Complete();
    }

    /// <summary>The IValueTaskSource behind a pending ValueTask: the pooled waiter itself.</summary>
    private static object SourceOf(ValueTask<int> task) =>
        typeof(ValueTask<int>).GetField("_obj", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(task)!;
}
