namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// What only RendezvousChannel&lt;T&gt; promises, beyond the contract both channels share (Contract/): with no buffer,
/// Try and WaitTo callers wait for a partner parked in ReadAsync/WriteAsync, so two sides that use only Try and
/// WaitTo never meet; it counts nothing and peeks at parked writers; and a stale queue entry never claims a pooled
/// waiter in a later use.
/// </summary>
public class RendezvousChannelTests
{
    [Fact]
    public async Task Two_sides_that_only_use_Try_and_WaitTo_never_meet()
    {
        // Documented: each side waits for the other to park, and neither does (as with Go's select-with-default
        // and the BCL's CreateBounded(0)). Both waits stay pending until the channel completes.
        var channel = new RendezvousChannel<int>();
        ValueTask<bool> waitToRead = channel.Reader.WaitToReadAsync();
        ValueTask<bool> waitToWrite = channel.Writer.WaitToWriteAsync();
        Assert.False(channel.Writer.TryWrite(1));
        Assert.False(channel.Reader.TryRead(out _));
        await Task.Yield();
        Assert.False(waitToRead.IsCompleted);
        Assert.False(waitToWrite.IsCompleted);
        channel.Writer.Complete();
        Assert.False(await Eventually.Completes(waitToRead));
        Assert.False(await Eventually.Completes(waitToWrite));
    }

    [Fact]
    public void It_is_a_Channel_that_counts_nothing_and_peeks_at_parked_writers_like_CreateBounded_0()
    {
        // A drop-in for the BCL's unbuffered channel: it can count (it holds nothing, so always 0) and can peek (at
        // the oldest parked writer's item, without taking it; see Contract/UnbufferedCountAndPeekContractTests).
        Channel<int> channel = new RendezvousChannel<int>();
        Assert.True(channel.Reader.CanCount);
        Assert.True(channel.Reader.CanPeek);
        Assert.Equal(0, channel.Reader.Count);
        Assert.False(channel.Reader.TryPeek(out _));
        ValueTask write = channel.Writer.WriteAsync(42);
        Assert.Equal(0, channel.Reader.Count);
        Assert.True(channel.Reader.TryPeek(out int peeked));
        Assert.Equal(42, peeked);
        Assert.False(write.IsCompleted);
        channel.Writer.Complete();
    }

    [Fact]
    public async Task A_stale_entry_never_claims_its_waiter_and_a_waiter_never_serves_another_channel()
    {
        // A canceled read leaves a dead entry in channel A's queue, behind a live reader, so nothing trims it. Its
        // pooled waiter goes back to this thread's idle slot; then B, on the same thread, reads 65536 times. Were
        // idle waiters shared by every channel of the same item type, A's waiter would serve all of B's reads and
        // park there again, where a 16-bit version would have wrapped (A's stale entry naming B's live read) and a
        // stale ValueTask of A would take B's items (Contract/StaleValueTaskContractTests). A waiter serves one
        // channel only: B's reads never get it. A thread of its own, so that its idle slot starts empty; everything
        // runs synchronously on it.
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
        Assert.NotSame(canceledWaiter, SourceOf(pendingOnB));
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
