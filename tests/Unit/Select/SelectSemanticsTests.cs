// SelectSemanticsTests: TrySelect and SelectAsync against plain operations, one clause kind at a time, both channel kinds.

using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// What one select does, deterministically: which clause wins, what it moved, and that losing clauses leave their
/// channels untouched. Both channel kinds; the stress tests (SelectStressTests) check the same under races.
/// </summary>
public class SelectSemanticsTests
{
    private static Channel<int> Create(bool rendezvous) => rendezvous ? new RendezvousChannel<int>() : new RingBufferChannel<int>(4);

    [Fact]
    public void TrySelect_with_nothing_ready_returns_false_and_changes_nothing()
    {
        var a = new RendezvousChannel<int>();
        var b = new RingBufferChannel<int>(1);
        var selector = new ChannelSelector();
        SelectReadClause<int> readA = selector.AddRead(a.Reader);
        SelectReadClause<int> readB = selector.AddRead(b.Reader);

        Assert.False(selector.TrySelect(out SelectResult result));
        Assert.Equal(default, result);
        Assert.Equal(0, b.Reader.Count);
        Assert.False(a.Writer.TryWrite(1)); // nothing parked on a: the select left no entry behind
        Assert.Same(a.Reader, readA.Reader);
        Assert.Same(b.Reader, readB.Reader);
    }

    [Fact]
    public async Task TrySelect_takes_a_parked_rendezvous_writer_item()
    {
        var a = new RendezvousChannel<int>();
        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(a.Reader);
        ValueTask write = a.Writer.WriteAsync(42);

        Assert.True(selector.TrySelect(out SelectResult result));
        Assert.True(result.Is(read));
        Assert.False(result.IsClosed);
        Assert.Equal(42, read.Item);
        await Eventually.Completes(write);
    }

    [Fact]
    public void TrySelect_reads_a_ring_item_and_writes_into_a_ring_with_room()
    {
        var ring = new RingBufferChannel<string>(1);
        var selector = new ChannelSelector(SelectFairness.Biased);
        SelectWriteClause<string> write = selector.AddWrite(ring.Writer, "x");

        Assert.True(selector.TrySelect(out SelectResult first));
        Assert.True(first.Is(write));
        Assert.True(ring.Reader.TryPeek(out string? peeked));
        Assert.Equal("x", peeked);

        // Full now: the write clause is not ready; a read clause added is.
        SelectReadClause<string> read = selector.AddRead(ring.Reader);
        Assert.True(selector.TrySelect(out SelectResult second));
        Assert.True(second.Is(read));
        Assert.Equal("x", read.Item);
        Assert.Equal(0, ring.Reader.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SelectAsync_parks_and_a_plain_writer_completes_the_read_clause(bool rendezvous)
    {
        Channel<int> a = Create(rendezvous);
        Channel<int> b = Create(rendezvous);
        var selector = new ChannelSelector();
        SelectReadClause<int> readA = selector.AddRead(a.Reader);
        SelectReadClause<int> readB = selector.AddRead(b.Reader);

        ValueTask<SelectResult> pending = selector.SelectAsync();
        Assert.False(pending.IsCompleted);
        // A rendezvous write completes only by meeting the select's parked read entry.
        await Eventually.Completes(b.Writer.WriteAsync(7));
        SelectResult result = await Eventually.Completes(pending);

        Assert.True(result.Is(readB));
        Assert.Equal(7, readB.Item);
        Assert.Equal(default, readA.Item);
        // The losing clause left a as if the select had never come: a plain TryWrite finds no reader.
        Assert.False(rendezvous && a.Writer.TryWrite(1));
        if (!rendezvous)
        {
            Assert.Equal(0, a.Reader.Count);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SelectAsync_parks_and_a_plain_reader_completes_the_write_clause(bool rendezvous)
    {
        Channel<int> a = Create(rendezvous);
        Channel<int> b = Create(rendezvous);
        if (!rendezvous)
        {
            // Fill both rings, so that the write clauses must wait.
            for (int i = 0; i < 4; i++)
            {
                Assert.True(a.Writer.TryWrite(100 + i));
                Assert.True(b.Writer.TryWrite(200 + i));
            }
        }

        var selector = new ChannelSelector();
        SelectWriteClause<int> writeA = selector.AddWrite(a.Writer, 1);
        SelectWriteClause<int> writeB = selector.AddWrite(b.Writer, 2);
        ValueTask<SelectResult> pending = selector.SelectAsync();
        Assert.False(pending.IsCompleted);

        int read = await Eventually.Completes(a.Reader.ReadAsync());
        SelectResult result = await Eventually.Completes(pending);
        Assert.True(result.Is(writeA));
        if (rendezvous)
        {
            Assert.Equal(1, read);
            Assert.False(b.Reader.TryRead(out _)); // the losing write handed nothing over
        }
        else
        {
            Assert.Equal(100, read);
            Assert.Equal(4, a.Reader.Count); // 101, 102, 103, then the select's 1
            Assert.Equal(4, b.Reader.Count);
            int[] rest = [.. Enumerable.Range(0, 4).Select(_ => { Assert.True(a.Reader.TryRead(out int x)); return x; })];
            Assert.Equal([101, 102, 103, 1], rest);
        }

        Assert.Same(writeB, selector.Clauses[1]);
    }

    [Fact]
    public async Task Items_of_different_types_in_one_select()
    {
        var numbers = new RendezvousChannel<int>();
        var words = new RingBufferChannel<string>(2);
        var selector = new ChannelSelector();
        SelectReadClause<int> readNumber = selector.AddRead(numbers.Reader);
        SelectReadClause<string> readWord = selector.AddRead(words.Reader);

        ValueTask<SelectResult> first = selector.SelectAsync();
        Assert.True(words.Writer.TryWrite("hello"));
        SelectResult result = await Eventually.Completes(first);
        Assert.True(result.Is(readWord));
        Assert.Equal("hello", readWord.Item);

        ValueTask<SelectResult> second = selector.SelectAsync();
        await Eventually.Completes(numbers.Writer.WriteAsync(5));
        result = await Eventually.Completes(second);
        Assert.True(result.Is(readNumber));
        Assert.Equal(5, readNumber.Item);
    }

    [Fact]
    public async Task Two_selects_meet_on_one_rendezvous_channel_in_both_directions()
    {
        var channel = new RendezvousChannel<int>();
        // Each select has a second clause on a channel nobody else uses, so the only place they can meet is `channel`.
        var idleReads = new RendezvousChannel<int>();
        var idleWrites = new RendezvousChannel<int>();
        for (int round = 0; round < 2; round++)
        {
            var reading = new ChannelSelector();
            SelectReadClause<int> read = reading.AddRead(channel.Reader);
            reading.AddRead(idleReads.Reader);
            var writing = new ChannelSelector();
            SelectWriteClause<int> write = writing.AddWrite(channel.Writer, 10 + round);
            writing.AddWrite(idleWrites.Writer, -1);

            // Round 0: the reading select parks first; round 1: the writing one does.
            ValueTask<SelectResult> parked = round == 0 ? reading.SelectAsync() : writing.SelectAsync();
            ValueTask<SelectResult> arriving = round == 0 ? writing.SelectAsync() : reading.SelectAsync();
            SelectResult parkedResult = await Eventually.Completes(parked);
            SelectResult arrivingResult = await Eventually.Completes(arriving);

            SelectResult readResult = round == 0 ? parkedResult : arrivingResult;
            SelectResult writeResult = round == 0 ? arrivingResult : parkedResult;
            Assert.True(readResult.Is(read));
            Assert.True(writeResult.Is(write));
            Assert.Equal(10 + round, read.Item);
        }
    }

    [Fact]
    public async Task A_select_with_a_read_and_a_write_on_one_rendezvous_channel_never_meets_itself()
    {
        var channel = new RendezvousChannel<int>();
        var selector = new ChannelSelector();
        SelectReadClause<int> read = selector.AddRead(channel.Reader);
        SelectWriteClause<int> write = selector.AddWrite(channel.Writer, 99);

        Assert.False(selector.TrySelect(out _));
        // SelectAsync returns, parked: its read and write park as one entry (parked apart, each would make the other's
        // enqueue fail and the select would restart forever), and it does not match itself.
        ValueTask<SelectResult> pending = await Eventually.Completes(Task.Run(() => selector.SelectAsync()), "SelectAsync returning parked");
        await Task.Delay(20);
        Assert.False(pending.IsCompleted);

        // A third-party reader meets its write clause...
        int got = await Eventually.Completes(channel.Reader.ReadAsync());
        Assert.Equal(99, got);
        Assert.True((await Eventually.Completes(pending)).Is(write));

        // ...and a third-party writer meets its read clause.
        pending = selector.SelectAsync();
        await Task.Delay(20);
        Assert.False(pending.IsCompleted);
        await Eventually.Completes(channel.Writer.WriteAsync(5));
        Assert.True((await Eventually.Completes(pending)).Is(read));
        Assert.Equal(5, read.Item);

        // A third party's TryPeek sees the offered item of the parked write clause, as a parked writer's.
        pending = selector.SelectAsync();
        await Task.Delay(20);
        Assert.True(channel.Reader.TryPeek(out int peeked));
        Assert.Equal(99, peeked);
        Assert.True(channel.Reader.TryRead(out int taken));
        Assert.Equal(99, taken);
        Assert.True((await Eventually.Completes(pending)).Is(write));
    }

    [Fact]
    public async Task Two_selects_each_reading_and_writing_one_rendezvous_channel_meet_each_other()
    {
        var channel = new RendezvousChannel<int>();
        var first = new ChannelSelector();
        SelectReadClause<int> firstRead = first.AddRead(channel.Reader);
        SelectWriteClause<int> firstWrite = first.AddWrite(channel.Writer, 1);
        var second = new ChannelSelector();
        SelectReadClause<int> secondRead = second.AddRead(channel.Reader);
        SelectWriteClause<int> secondWrite = second.AddWrite(channel.Writer, 2);

        ValueTask<SelectResult> parked = await Eventually.Completes(Task.Run(() => first.SelectAsync()), "the first select parking");
        SelectResult arriving = await Eventually.Completes(second.SelectAsync());
        SelectResult met = await Eventually.Completes(parked);

        // One wrote, the other read its item: which way round is the arriving select's (random) choice.
        if (arriving.Is(secondRead))
        {
            Assert.True(met.Is(firstWrite));
            Assert.Equal(1, secondRead.Item);
        }
        else
        {
            Assert.True(arriving.Is(secondWrite));
            Assert.True(met.Is(firstRead));
            Assert.Equal(2, firstRead.Item);
        }
    }

    [Fact]
    public async Task WaitToReadAsync_callers_are_woken_by_a_parked_select_write_clause()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<bool> waiting = channel.Reader.WaitToReadAsync();
        var selector = new ChannelSelector();
        SelectWriteClause<int> write = selector.AddWrite(channel.Writer, 3);
        ValueTask<SelectResult> pending = selector.SelectAsync();

        Assert.True(await Eventually.Completes(waiting));
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(3, item);
        Assert.True((await Eventually.Completes(pending)).Is(write));
    }
}
