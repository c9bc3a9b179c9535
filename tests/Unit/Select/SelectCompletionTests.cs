// SelectCompletionTests: closed outcomes (which clause, the completion error), drained vs not drained rings,
// completion and cancellation of parked selects.

using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// A read clause on a completed and drained channel, or a write clause on a completed channel, ends the select with
/// that clause and <see cref="SelectResult.IsClosed"/>; a cancellation leaves every channel as if the select never came.
/// </summary>
public class SelectCompletionTests
{
    [Fact]
    public void A_completed_ring_still_holding_items_delivers_them_before_it_reports_closed()
    {
        var ring = new RingBufferChannel<int>(4);
        Assert.True(ring.Writer.TryWrite(1));
        Assert.True(ring.Writer.TryWrite(2));
        var error = new InvalidOperationException("done");
        ring.Writer.Complete(error);

        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(ring.Reader);
        Assert.True(selector.TrySelect(out SelectResult first));
        Assert.False(first.IsClosed);
        Assert.Equal(1, read.Item);
        Assert.True(selector.TrySelect(out SelectResult second));
        Assert.False(second.IsClosed);
        Assert.Equal(2, read.Item);

        Assert.True(selector.TrySelect(out SelectResult third));
        Assert.True(third.IsClosed);
        Assert.True(third.Is(read));
        Assert.Same(error, third.CompletionError);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_write_clause_on_a_completed_channel_reports_closed_and_writes_nothing(bool rendezvous)
    {
        Channel<int> channel = rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(4);
        channel.Writer.Complete();
        var selector = new ChannelSelector();
        SelectWriteClause<int> write = selector.AddWrite(channel.Writer, 5);
        Assert.True(selector.TrySelect(out SelectResult result));
        Assert.True(result.IsClosed);
        Assert.True(result.Is(write));
        Assert.Null(result.CompletionError);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task Completing_a_channel_ends_a_parked_select_with_that_clause_closed(bool rendezvous, bool writeClause)
    {
        Channel<int> open = rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(1);
        Channel<int> completing = rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(1);
        if (!rendezvous && writeClause)
        {
            Assert.True(open.Writer.TryWrite(0));
            Assert.True(completing.Writer.TryWrite(0)); // full: the write clauses wait
        }

        var selector = new ChannelSelector();
        SelectClause other = writeClause ? selector.AddWrite(open.Writer, 1) : selector.AddRead(open.Reader);
        SelectClause target = writeClause ? selector.AddWrite(completing.Writer, 2) : selector.AddRead(completing.Reader);
        ValueTask<SelectResult> pending = selector.SelectAsync();
        await Task.Delay(10);
        Assert.False(pending.IsCompleted);

        var error = new FormatException("bye");
        completing.Writer.Complete(error);
        if (!rendezvous && !writeClause)
        {
            Assert.False(pending.IsCompleted && (await pending).IsClosed && false);
        }

        SelectResult result = await Eventually.Completes(pending);
        Assert.True(result.Is(target));
        Assert.True(result.IsClosed);
        Assert.Same(error, result.CompletionError);
        Assert.False(result.Is(other));
        // The other clause left its channel as it was.
        if (rendezvous)
        {
            Assert.False(writeClause ? open.Reader.TryRead(out _) : open.Writer.TryWrite(9));
        }
        else
        {
            Assert.Equal(writeClause ? 1 : 0, open.Reader.Count);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Canceling_a_parked_select_throws_and_leaves_every_channel_as_if_it_never_came(bool rendezvous)
    {
        Channel<int> a = rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(1);
        Channel<int> b = rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(1);
        if (!rendezvous)
        {
            Assert.True(b.Writer.TryWrite(0)); // b full: its write clause waits
        }

        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(a.Reader);
        SelectWriteClause<int> write = selector.AddWrite(b.Writer, 1);
        using var cts = new CancellationTokenSource();
        ValueTask<SelectResult> pending = selector.SelectAsync(cts.Token);
        await Task.Delay(10);
        cts.Cancel();
        OperationCanceledException canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(pending));
        Assert.Equal(cts.Token, canceled.CancellationToken);

        // Nothing of the select is left: a plain write finds no reader, a plain read no writer (rendezvous), and the
        // ring holds what it held.
        if (rendezvous)
        {
            Assert.False(a.Writer.TryWrite(1));
            Assert.False(b.Reader.TryRead(out _));
        }
        else
        {
            Assert.Equal(0, a.Reader.Count);
            Assert.Equal(1, b.Reader.Count);
            Assert.True(b.Reader.TryRead(out int only));
            Assert.Equal(0, only);
            Assert.False(b.Reader.TryRead(out _));
        }

        // The selector works on (its write clause off: the ring b has room now).
        write.IsEnabled = false;
        ValueTask<SelectResult> next = selector.SelectAsync();
        Assert.True(rendezvous ? a.Writer.TryWrite(4) || await WriteAsync(a, 4) : a.Writer.TryWrite(4));
        Assert.True((await Eventually.Completes(next)).Is(read));
        Assert.Equal(4, read.Item);
    }

    private static async Task<bool> WriteAsync(Channel<int> channel, int item)
    {
        await channel.Writer.WriteAsync(item);
        return true;
    }

    [Fact]
    public async Task An_already_canceled_token_cancels_without_taking_a_ready_item()
    {
        var ring = new RingBufferChannel<int>(1);
        Assert.True(ring.Writer.TryWrite(1));
        var selector = new ChannelSelector();
        selector.AddRead(ring.Reader);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await selector.SelectAsync(new CancellationToken(canceled: true)));
        Assert.Equal(1, ring.Reader.Count);
    }

    [Fact]
    public async Task ReadAnySelector_skips_drained_readers_and_throws_ChannelClosedException_when_all_are()
    {
        var a = new RingBufferChannel<int>(2);
        var b = new RendezvousChannel<int>();
        var any = new ReadAnySelector<int>([a.Reader, b.Reader]);
        Assert.Equal(2, any.Readers.Count);
        Assert.False(any.TryRead(out int none, out _));
        Assert.Equal(-1, none);

        Assert.True(a.Writer.TryWrite(10));
        a.Writer.Complete();
        (int index, int item) = await Eventually.Completes(any.ReadAsync());
        Assert.Equal((0, 10), (index, item));

        // a is drained now: the next read skips it and waits on b.
        ValueTask<(int Index, int Item)> pending = any.ReadAsync();
        await Eventually.Completes(b.Writer.WriteAsync(20));
        Assert.Equal((1, 20), await Eventually.Completes(pending));

        var error = new InvalidOperationException("b failed");
        pending = any.ReadAsync();
        b.Writer.Complete(error);
        ChannelClosedException closed = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(pending));
        Assert.Same(error, closed.InnerException);
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await any.ReadAsync());
        Assert.False(any.TryRead(out _, out _));
    }

    [Fact]
    public async Task ChannelSelect_ReadAnyAsync_returns_the_reader_index_and_item()
    {
        var a = new RendezvousChannel<string>();
        var b = new RingBufferChannel<string>(1);
        ValueTask<(int Index, string Item)> pending = ChannelSelect.ReadAnyAsync([a.Reader, b.Reader]);
        Assert.True(b.Writer.TryWrite("b"));
        Assert.Equal((1, "b"), await Eventually.Completes(pending));

        a.Writer.Complete();
        b.Writer.Complete();
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await ChannelSelect.ReadAnyAsync([a.Reader, b.Reader]));
    }
}
