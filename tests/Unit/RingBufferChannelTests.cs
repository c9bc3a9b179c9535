namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// What only RingBufferChannel&lt;T&gt; promises, beyond the contract both channels share (Contract/): an exact
/// capacity for any positive value, Count and TryPeek exact whenever the channel is quiescent, FIFO through the
/// Try operations alone and across many laps of the ring, and a drain after Complete.
/// </summary>
public class RingBufferChannelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Constructor_rejects_capacity_below_one_and_points_to_RendezvousChannel(int capacity)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RingBufferChannel<int>(capacity));
        Assert.Equal("capacity", ex.ParamName);
        Assert.Equal(capacity, ex.ActualValue);
        Assert.Contains("capacity 0", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("RendezvousChannel<T>", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1025)]
    public void Capacity_is_exact_TryWrite_succeeds_exactly_capacity_times(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        Assert.Equal(capacity, channel.Capacity);

        for (int lap = 0; lap < 3; lap++)
        {
            // Fill: exactly `capacity` writes are accepted, the next one is refused and changes nothing.
            for (int i = 0; i < capacity; i++)
            {
                Assert.True(channel.Writer.TryWrite((lap * capacity) + i), $"write {i} of {capacity} (lap {lap})");
                Assert.Equal(i + 1, channel.Reader.Count);
            }

            Assert.False(channel.Writer.TryWrite(-1));
            Assert.False(channel.Writer.TryWrite(-2));
            Assert.Equal(capacity, channel.Reader.Count);

            // One out makes room for exactly one more.
            Assert.True(channel.Reader.TryRead(out int first));
            Assert.Equal(lap * capacity, first);
            Assert.True(channel.Writer.TryWrite(-3));
            Assert.False(channel.Writer.TryWrite(-4));

            // Drain: the rest in order, then the refill, and nothing else.
            for (int i = 1; i < capacity; i++)
            {
                Assert.True(channel.Reader.TryRead(out int item));
                Assert.Equal((lap * capacity) + i, item);
            }

            Assert.True(channel.Reader.TryRead(out int last));
            Assert.Equal(-3, last);
            Assert.False(channel.Reader.TryRead(out _));
            Assert.Equal(0, channel.Reader.Count);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 100)]
    public async Task Capacity_is_exact_for_WriteAsync_too(int capacity, int extra)
    {
        var channel = new RingBufferChannel<int>(capacity);
        var writes = new List<ValueTask>();
        for (int i = 0; i < capacity + extra; i++)
        {
            writes.Add(channel.Writer.WriteAsync(i));
        }

        // The first `capacity` writes are accepted at once, every later one waits.
        for (int i = 0; i < writes.Count; i++)
        {
            Assert.Equal(i < capacity, writes[i].IsCompletedSuccessfully);
        }

        Assert.Equal(capacity, channel.Reader.Count);
        Assert.False(channel.Writer.WaitToWriteAsync().IsCompleted);

        for (int i = 0; i < capacity + extra; i++)
        {
            Assert.Equal(i, await Eventually.Completes(channel.Reader.ReadAsync(), "read"));
        }

        foreach (ValueTask write in writes)
        {
            await Eventually.Completes(write, "parked write");
        }

        Assert.Equal(0, channel.Reader.Count);
    }

    [Theory]
    [InlineData((1 << 30) + 1)]
    [InlineData(int.MaxValue)]
    public void Capacity_above_2_to_the_30_throws_ArgumentOutOfRange_not_OverflowException(int capacity)
    {
        // The ring's slot array is the next power of two, which above 2^30 no longer fits an int; the constructor
        // once failed there with an OverflowException. The documented exception for a bad capacity is
        // ArgumentOutOfRangeException (the BCL's bounded channel accepts these capacities).
        Exception? ex = Record.Exception(() => new RingBufferChannel<byte>(capacity));
        Assert.NotNull(ex);
        ArgumentOutOfRangeException outOfRange = Assert.IsType<ArgumentOutOfRangeException>(ex);
        Assert.Equal("capacity", outOfRange.ParamName);
    }

    [Fact]
    public void Reader_can_count_and_peek()
    {
        var channel = new RingBufferChannel<int>(4);
        Assert.True(channel.Reader.CanCount);
        Assert.True(channel.Reader.CanPeek);
        Assert.Equal(0, channel.Reader.Count);
        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Items_come_out_in_the_order_they_were_written()
    {
        var channel = new RingBufferChannel<int>(5);
        int next = 0, expected = 0;
        // Vary the occupancy so that the order is checked at every fill level and across laps.
        for (int round = 0; round < 200; round++)
        {
            int writes = round % 6;
            for (int i = 0; i < writes && channel.Writer.TryWrite(next); i++)
            {
                next++;
            }

            int reads = (round * 7) % 5;
            for (int i = 0; i < reads && channel.Reader.TryRead(out int item); i++)
            {
                Assert.Equal(expected++, item);
            }
        }

        while (channel.Reader.TryRead(out int item))
        {
            Assert.Equal(expected++, item);
        }

        Assert.Equal(next, expected);
        Assert.True(next > 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(16)]
    [InlineData(17)]
    public void Items_wrap_around_the_ring_for_many_laps(int capacity)
    {
        const int Items = 100_000;
        var channel = new RingBufferChannel<long>(capacity);
        long written = 0, read = 0;
        int step = 0;
        while (read < Items)
        {
            // Write a varying burst (at most until full), then read a varying burst: many fill levels, many laps.
            int burst = 1 + (step++ % (capacity + 1));
            for (int i = 0; i < burst && written < Items; i++)
            {
                if (!channel.Writer.TryWrite(written))
                {
                    Assert.Equal(capacity, channel.Reader.Count);
                    break;
                }

                written++;
            }

            int take = 1 + ((step * 3) % (capacity + 1));
            for (int i = 0; i < take && channel.Reader.TryRead(out long item); i++)
            {
                Assert.Equal(read++, item);
            }

            Assert.Equal(written - read, channel.Reader.Count);
        }

        Assert.Equal(Items, written);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Count_is_exact_whenever_the_channel_is_quiescent()
    {
        const int Capacity = 5;
        var channel = new RingBufferChannel<int>(Capacity);
        var model = new Queue<int>();
        var random = new Random(1234);
        int next = 0;
        for (int step = 0; step < 5_000; step++)
        {
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    bool accepted = channel.Writer.TryWrite(next);
                    Assert.Equal(model.Count < Capacity, accepted);
                    if (accepted)
                    {
                        model.Enqueue(next);
                    }

                    next++;
                    break;
                case 2:
                    bool read = channel.Reader.TryRead(out int item);
                    Assert.Equal(model.Count > 0, read);
                    if (read)
                    {
                        Assert.Equal(model.Dequeue(), item);
                    }

                    break;
                default:
                    if (model.Count > 0)
                    {
                        Assert.Equal(model.Dequeue(), await Eventually.Completes(channel.Reader.ReadAsync()));
                    }
                    else if (model.Count < Capacity)
                    {
                        await Eventually.Completes(channel.Writer.WriteAsync(next));
                        model.Enqueue(next++);
                    }

                    break;
            }

            Assert.Equal(model.Count, channel.Reader.Count);
            Assert.Equal(model.Count > 0, channel.Reader.TryPeek(out int head));
            if (model.Count > 0)
            {
                Assert.Equal(model.Peek(), head);
            }
        }
    }

    [Fact]
    public void TryPeek_returns_the_oldest_item_without_removing_it()
    {
        var channel = new RingBufferChannel<int>(3);
        Assert.False(channel.Reader.TryPeek(out _));
        Fill(channel.Writer, 3, first: 10);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(channel.Reader.TryPeek(out int peeked));
            Assert.Equal(10, peeked);
        }

        Assert.Equal(3, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(10, item);
        Assert.True(channel.Reader.TryPeek(out int next));
        Assert.Equal(11, next);
        Assert.Equal(2, channel.Reader.Count);
    }

    [Fact]
    public void Count_and_TryPeek_stay_exact_while_writers_are_parked()
    {
        var channel = new RingBufferChannel<int>(2);
        Fill(channel.Writer, 2);
        ValueTask parked = channel.Writer.WriteAsync(2);
        Assert.False(parked.IsCompleted);
        // A parked write is not in the channel yet.
        Assert.Equal(2, channel.Reader.Count);
        Assert.True(channel.Reader.TryPeek(out int head));
        Assert.Equal(0, head);
    }

    [Fact]
    public async Task Null_items_pass_through_for_reference_types()
    {
        var channel = new RingBufferChannel<string?>(2);
        Assert.True(channel.Writer.TryWrite(null));
        Assert.True(channel.Writer.TryWrite("a"));
        Assert.Equal(2, channel.Reader.Count);
        Assert.True(channel.Reader.TryPeek(out string? peeked));
        Assert.Null(peeked);

        // Parked writer with a null item.
        ValueTask parkedWrite = channel.Writer.WriteAsync(null);
        Assert.False(parkedWrite.IsCompleted);

        Assert.True(channel.Reader.TryRead(out string? item));
        Assert.Null(item);
        await Eventually.Completes(parkedWrite, "parked null write");
        Assert.Equal("a", await Eventually.Completes(channel.Reader.ReadAsync()));
        Assert.Null(await Eventually.Completes(channel.Reader.ReadAsync()));

        // Parked reader handed a null item.
        ValueTask<string?> parkedRead = channel.Reader.ReadAsync();
        Assert.False(parkedRead.IsCompleted);
        Assert.True(channel.Writer.TryWrite(null));
        Assert.Null(await Eventually.Completes(parkedRead, "parked read"));

        // And through ReadAllAsync.
        Assert.True(channel.Writer.TryWrite(null));
        Assert.True(channel.Writer.TryWrite("b"));
        channel.Writer.Complete();
        var all = new List<string?>();
        await foreach (string? s in channel.Reader.ReadAllAsync())
        {
            all.Add(s);
        }

        Assert.Equal(new string?[] { null, "b" }, all);
    }

    [Fact]
    public async Task Count_and_TryPeek_follow_the_drain_after_Complete()
    {
        var channel = new RingBufferChannel<int>(4);
        Fill(channel.Writer, 3);
        channel.Writer.Complete();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(3 - i, channel.Reader.Count);
            Assert.True(channel.Reader.TryPeek(out int head));
            Assert.Equal(i, head);
            Assert.Equal(i, await Eventually.Completes(channel.Reader.ReadAsync()));
        }

        Assert.Equal(0, channel.Reader.Count);
        Assert.False(channel.Reader.TryPeek(out _));
        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Completion_waits_for_the_drain_of_a_full_ring_after_many_laps()
    {
        const int Capacity = 7;
        var channel = new RingBufferChannel<int>(Capacity);
        int next = 0, expected = 0;
        for (int lap = 0; lap < 50; lap++)
        {
            Fill(channel.Writer, Capacity - channel.Reader.Count, next);
            next += Capacity - (next - expected);
            for (int i = 0; i < 3; i++)
            {
                Assert.True(channel.Reader.TryRead(out int item));
                Assert.Equal(expected++, item);
            }
        }

        Fill(channel.Writer, Capacity - channel.Reader.Count, next);
        next = expected + Capacity;
        channel.Writer.Complete();
        while (expected < next)
        {
            Assert.False(channel.Reader.Completion.IsCompleted, $"{next - expected} items were still in the channel");
            Assert.Equal(expected++, await Eventually.Completes(channel.Reader.ReadAsync()));
        }

        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
    }
}
