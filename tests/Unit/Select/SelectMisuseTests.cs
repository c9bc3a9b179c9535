// SelectMisuseTests: bad input and misuse of a selector fail at the call site with a clear exception.

using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>Foreign channels, nulls, a second select on a busy selector, no enabled clause: each refused at once, nothing changed.</summary>
public class SelectMisuseTests
{
    [Fact]
    public void Foreign_readers_and_writers_are_refused_with_ArgumentException()
    {
        Channel<int> bcl = Channel.CreateBounded<int>(1);
        var selector = new ChannelSelector();
        ArgumentException read = Assert.Throws<ArgumentException>("reader", () => selector.AddRead(bcl.Reader));
        Assert.Contains("RendezvousChannel", read.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("writer", () => selector.AddWrite(bcl.Writer, 1));
        Assert.Throws<ArgumentException>("writer", () => selector.AddWrite(bcl.Writer));
        Assert.Empty(selector.Clauses);
        Assert.Throws<ArgumentException>("readers", () => new ReadAnySelector<int>([new RendezvousChannel<int>().Reader, bcl.Reader]));
    }

    [Fact]
    public void Nulls_are_refused_with_ArgumentNullException()
    {
        var selector = new ChannelSelector();
        Assert.Throws<ArgumentNullException>("reader", () => selector.AddRead<int>(null!));
        Assert.Throws<ArgumentNullException>("writer", () => selector.AddWrite<int>(null!, 1));
        Assert.Throws<ArgumentNullException>("readers", () => new ReadAnySelector<int>(null!));
        Assert.Throws<ArgumentNullException>("readers", () => new ReadAnySelector<int>([null!]));
        Assert.Throws<ArgumentException>("readers", () => new ReadAnySelector<int>([]));
        Assert.Throws<ArgumentOutOfRangeException>("fairness", () => new ChannelSelector((SelectFairness)7));
    }

    [Fact]
    public void Selecting_with_no_clause_or_only_disabled_clauses_throws_InvalidOperationException()
    {
        var selector = new ChannelSelector();
        Assert.Throws<InvalidOperationException>(() => selector.TrySelect(out _));
        Assert.Throws<InvalidOperationException>(() => selector.SelectAsync());

        var channel = new RingBufferChannel<int>(1);
        SelectReadClause<int> read = selector.AddRead(channel.Reader);
        read.IsEnabled = false;
        Assert.Throws<InvalidOperationException>(() => selector.TrySelect(out _));
        Assert.Throws<InvalidOperationException>(() => selector.SelectAsync());

        // The refusals left the selector usable.
        read.IsEnabled = true;
        Assert.True(channel.Writer.TryWrite(3));
        Assert.True(selector.TrySelect(out SelectResult result));
        Assert.True(result.Is(read));
        Assert.Equal(3, read.Item);
    }

    [Fact]
    public async Task A_second_select_or_an_added_clause_while_one_is_pending_throws_InvalidOperationException()
    {
        var channel = new RendezvousChannel<int>();
        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(channel.Reader);
        ValueTask<SelectResult> pending = selector.SelectAsync();

        Assert.Throws<InvalidOperationException>(() => selector.TrySelect(out _));
        Assert.Throws<InvalidOperationException>(() => selector.SelectAsync());
        Assert.Throws<InvalidOperationException>(() => selector.AddRead(channel.Reader));
        Assert.Single(selector.Clauses);

        // The pending select is unharmed by the refusals.
        await Eventually.Completes(channel.Writer.WriteAsync(8));
        Assert.True((await Eventually.Completes(pending)).Is(read));
        Assert.Equal(8, read.Item);

        // Once it ended, the selector takes the next select.
        ValueTask<SelectResult> next = selector.SelectAsync();
        await Eventually.Completes(channel.Writer.WriteAsync(9));
        Assert.Equal(9, ((SelectReadClause<int>)(await Eventually.Completes(next)).Clause).Item);
    }

    [Fact]
    public async Task A_disabled_clause_takes_no_part()
    {
        var a = new RingBufferChannel<int>(1);
        var b = new RingBufferChannel<int>(1);
        var selector = new ChannelSelector(SelectFairness.Biased);
        SelectReadClause<int> readA = selector.AddRead(a.Reader);
        SelectReadClause<int> readB = selector.AddRead(b.Reader);
        readA.IsEnabled = false;
        Assert.True(a.Writer.TryWrite(1));

        Assert.False(selector.TrySelect(out _));
        ValueTask<SelectResult> pending = selector.SelectAsync();
        await Task.Delay(20);
        Assert.False(pending.IsCompleted);
        Assert.True(b.Writer.TryWrite(2));
        Assert.True((await Eventually.Completes(pending)).Is(readB));
        Assert.Equal(1, a.Reader.Count); // untouched
        Assert.Equal(default, readA.Item);
    }

    [Fact]
    public void Results_and_clauses_describe_themselves()
    {
        var channel = new RingBufferChannel<int>(1);
        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(channel.Reader);
        SelectWriteClause<int> write = selector.AddWrite(channel.Writer, 1);
        Assert.Equal(0, read.Index);
        Assert.Equal(1, write.Index);
        Assert.False(read.IsWrite);
        Assert.True(write.IsWrite);
        Assert.Same(selector, write.Selector);
        Assert.Same(channel.Writer, write.Writer);
        Assert.Equal("clause 1: write Int32", write.ToString());
        Assert.Contains("2 clauses", selector.ToString(), StringComparison.Ordinal);
        Assert.Equal("(none)", default(SelectResult).ToString());
    }
}
