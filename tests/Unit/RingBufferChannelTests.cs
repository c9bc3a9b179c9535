using System;
using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;
using static Rendezvous.Channels.Tests.Unit.RingBufferTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; (issue 3), single-threaded contract: construction and exact capacity, FIFO, the Try
/// operations, parking and first-come-first-served service of parked readers and writers, Count and TryPeek,
/// null items, wrap-around, and misuse of the ValueTasks it returns.
/// </summary>
public class RingBufferChannelTests
{
    // ---- Construction and capacity ----

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
            Assert.Equal(i, await channel.Reader.ReadAsync().WithTimeout("read"));
        }

        foreach (ValueTask write in writes)
        {
            await write.WithTimeout("parked write");
        }

        Assert.Equal(0, channel.Reader.Count);
    }

    [Theory]
    [InlineData((1 << 30) + 1)]
    [InlineData(int.MaxValue)]
    public void Capacity_above_2_to_the_30_throws_ArgumentOutOfRange_not_OverflowException(int capacity)
    {
        // Regression (fixed in 9f3be31): the ring's slot array is the next power of two, which above 2^30 no longer
        // fits an int, and the constructor used to fail with an OverflowException. The documented exception for a bad
        // capacity is ArgumentOutOfRangeException (the BCL's bounded channel accepts these capacities).
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

    // ---- FIFO and the Try operations ----

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

    [Fact]
    public void TryRead_fails_on_an_empty_channel_and_TryWrite_on_a_full_one()
    {
        var channel = new RingBufferChannel<int>(2);
        Assert.False(channel.Reader.TryRead(out int item));
        Assert.Equal(default, item);
        Assert.False(channel.Reader.TryPeek(out _));

        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(channel.Writer.TryWrite(2));
        Assert.False(channel.Writer.TryWrite(3));
        Assert.Equal(2, channel.Reader.Count);

        Assert.True(channel.Reader.TryRead(out item));
        Assert.Equal(1, item);
        Assert.True(channel.Reader.TryRead(out item));
        Assert.Equal(2, item);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task WriteAsync_and_ReadAsync_complete_synchronously_when_they_can_proceed()
    {
        var channel = new RingBufferChannel<int>(2);
        ValueTask write = channel.Writer.WriteAsync(7);
        Assert.True(write.IsCompletedSuccessfully);
        await write;

        ValueTask<bool> waitToRead = channel.Reader.WaitToReadAsync();
        Assert.True(waitToRead.IsCompletedSuccessfully);
        Assert.True(await waitToRead);

        ValueTask<bool> waitToWrite = channel.Writer.WaitToWriteAsync();
        Assert.True(waitToWrite.IsCompletedSuccessfully);
        Assert.True(await waitToWrite);

        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(7, await read);
    }

    // ---- Parking ----

    [Fact]
    public async Task ReadAsync_parks_while_empty_and_gets_the_next_item()
    {
        var channel = new RingBufferChannel<int>(3);
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.False(read.IsCompleted);

        Assert.True(channel.Writer.TryWrite(42));
        Assert.Equal(42, await read.WithTimeout("parked read"));
        Assert.Equal(0, channel.Reader.Count);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task WaitToReadAsync_parks_while_empty_and_does_not_consume()
    {
        var channel = new RingBufferChannel<int>(3);
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        Assert.False(wait.IsCompleted);

        Assert.True(channel.Writer.TryWrite(5));
        Assert.True(await wait.WithTimeout("WaitToReadAsync"));
        Assert.Equal(1, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(5, item);
    }

    [Fact]
    public async Task WriteAsync_parks_while_full_and_enters_when_room_is_made()
    {
        var channel = new RingBufferChannel<int>(2);
        Fill(channel.Writer, 2);
        ValueTask write = channel.Writer.WriteAsync(2);
        Assert.False(write.IsCompleted);
        Assert.Equal(2, channel.Reader.Count);

        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(0, item);
        await write.WithTimeout("parked write");
        // The parked item moved into the ring: the channel is full again.
        Assert.Equal(2, channel.Reader.Count);
        Assert.False(channel.Writer.TryWrite(99));
        Assert.Equal(1, await channel.Reader.ReadAsync().WithTimeout());
        Assert.Equal(2, await channel.Reader.ReadAsync().WithTimeout());
    }

    [Fact]
    public async Task WaitToWriteAsync_parks_while_full()
    {
        var channel = new RingBufferChannel<int>(1);
        Assert.True(channel.Writer.TryWrite(1));
        ValueTask<bool> wait = channel.Writer.WaitToWriteAsync();
        Assert.False(wait.IsCompleted);

        Assert.True(channel.Reader.TryRead(out _));
        Assert.True(await wait.WithTimeout("WaitToWriteAsync"));
        // WaitToWriteAsync reserves nothing: the room is still there.
        Assert.True(channel.Writer.TryWrite(2));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_readers_are_served_first_come_first_served(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 3);
        var reads = new ValueTask<int>[5];
        for (int i = 0; i < reads.Length; i++)
        {
            reads[i] = channel.Reader.ReadAsync();
            Assert.False(reads[i].IsCompleted);
        }

        for (int i = 0; i < reads.Length; i++)
        {
            // Alternate TryWrite and WriteAsync: both hand to the oldest parked reader.
            if (i % 2 == 0)
            {
                Assert.True(channel.Writer.TryWrite(i + 1));
            }
            else
            {
                await channel.Writer.WriteAsync(i + 1).WithTimeout("write");
            }
        }

        for (int i = 0; i < reads.Length; i++)
        {
            Assert.Equal(i + 1, await reads[i].WithTimeout($"read {i}"));
        }

        Assert.Equal(0, channel.Reader.Count);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_writers_are_served_first_come_first_served(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        Fill(channel.Writer, 2);
        var writes = new ValueTask[5];
        for (int i = 0; i < writes.Length; i++)
        {
            writes[i] = channel.Writer.WriteAsync(2 + i);
            Assert.False(writes[i].IsCompleted);
        }

        // To a newcomer the channel is full while writers are parked.
        Assert.False(channel.Writer.TryWrite(100));

        for (int i = 0; i < 2 + writes.Length; i++)
        {
            int item;
            if (i % 2 == 0)
            {
                Assert.True(channel.Reader.TryRead(out item));
            }
            else
            {
                item = await channel.Reader.ReadAsync().WithTimeout("read");
            }

            Assert.Equal(i, item);
            // Each read lets exactly the oldest parked writer in.
            if (i < writes.Length)
            {
                await writes[i].WithTimeout($"write {i}");
                for (int j = i + 1; j < writes.Length; j++)
                {
                    Assert.False(writes[j].IsCompleted, $"write {j} completed before write {i + 1}");
                }
            }
        }

        Assert.False(channel.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_parked_reader_goes_before_WaitToReadAsync(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        ValueTask<int> read = channel.Reader.ReadAsync();
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();

        Assert.True(channel.Writer.TryWrite(1));
        Assert.Equal(1, await read.WithTimeout("read"));
        // The item went to the parked reader: nothing to read, so WaitToReadAsync still waits.
        Assert.False(wait.IsCompleted);

        Assert.True(channel.Writer.TryWrite(2));
        Assert.True(await wait.WithTimeout("WaitToReadAsync"));
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(2, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_parked_writer_goes_before_WaitToWriteAsync(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        Assert.True(channel.Writer.TryWrite(0));
        ValueTask write = channel.Writer.WriteAsync(1);
        ValueTask<bool> wait = channel.Writer.WaitToWriteAsync();
        Assert.False(write.IsCompleted);
        Assert.False(wait.IsCompleted);

        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(0, item);
        await write.WithTimeout("parked write");
        // The room went to the parked writer: the channel is full, so WaitToWriteAsync still waits.
        Assert.False(wait.IsCompleted);
        Assert.False(channel.Writer.TryWrite(2));

        Assert.True(channel.Reader.TryRead(out item));
        Assert.Equal(1, item);
        Assert.True(await wait.WithTimeout("WaitToWriteAsync"));
        Assert.True(channel.Writer.TryWrite(2));
    }

    [Fact]
    public async Task Every_WaitToReadAsync_caller_is_woken_by_one_item()
    {
        var channel = new RingBufferChannel<int>(2);
        var waits = new ValueTask<bool>[4];
        for (int i = 0; i < waits.Length; i++)
        {
            waits[i] = channel.Reader.WaitToReadAsync();
            Assert.False(waits[i].IsCompleted);
        }

        Assert.True(channel.Writer.TryWrite(1));
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.True(await wait.WithTimeout("WaitToReadAsync"));
        }

        Assert.Equal(1, channel.Reader.Count);
    }

    // ---- Count and TryPeek ----

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
                        Assert.Equal(model.Dequeue(), await channel.Reader.ReadAsync().WithTimeout());
                    }
                    else if (model.Count < Capacity)
                    {
                        await channel.Writer.WriteAsync(next).WithTimeout();
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

    // ---- Null items ----

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
        await parkedWrite.WithTimeout("parked null write");
        Assert.Equal("a", await channel.Reader.ReadAsync().WithTimeout());
        Assert.Null(await channel.Reader.ReadAsync().WithTimeout());

        // Parked reader handed a null item.
        ValueTask<string?> parkedRead = channel.Reader.ReadAsync();
        Assert.False(parkedRead.IsCompleted);
        Assert.True(channel.Writer.TryWrite(null));
        Assert.Null(await parkedRead.WithTimeout("parked read"));

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

    // ---- Wrap-around ----

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

    // ---- Misuse of the returned ValueTasks ----

    [Fact]
    public void Awaiting_a_parked_ReadAsync_twice_while_pending_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<int> read = channel.Reader.ReadAsync();
        _ = read.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
    }

    [Fact]
    public void Awaiting_a_parked_WriteAsync_twice_while_pending_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        Assert.True(channel.Writer.TryWrite(0));
        ValueTask write = channel.Writer.WriteAsync(1);
        _ = write.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = write.AsTask(); });
    }

    [Fact]
    public void Awaiting_a_parked_WaitToReadAsync_twice_while_pending_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        _ = wait.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = wait.AsTask(); });
    }

    [Fact]
    public async Task Using_a_consumed_ReadAsync_ValueTask_again_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.False(read.IsCompleted);
        Assert.True(channel.Writer.TryWrite(1));
        Assert.Equal(1, await read.WithTimeout());

        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => read.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => read.Result);
    }

    [Fact]
    public async Task Using_a_consumed_WriteAsync_ValueTask_again_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        Assert.True(channel.Writer.TryWrite(0));
        ValueTask write = channel.Writer.WriteAsync(1);
        Assert.False(write.IsCompleted);
        Assert.True(channel.Reader.TryRead(out _));
        await write.WithTimeout();

        Assert.Throws<InvalidOperationException>(() => { _ = write.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => write.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => write.GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Using_a_consumed_WaitToReadAsync_ValueTask_again_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        Assert.False(wait.IsCompleted);
        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(await wait.WithTimeout());

        Assert.Throws<InvalidOperationException>(() => { _ = wait.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => wait.Result);
    }

    [Fact]
    public void Reading_the_result_of_a_parked_read_before_it_completes_throws_InvalidOperationException()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.False(read.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => read.Result);
    }

    [Fact]
    public async Task A_stale_ValueTask_does_not_see_the_reused_waiter_of_a_later_operation()
    {
        var channel = new RingBufferChannel<int>(1);
        ValueTask<int> stale = channel.Reader.ReadAsync();
        Assert.True(channel.Writer.TryWrite(1));
        Assert.Equal(1, await stale.WithTimeout());

        // The waiter behind `stale` is pooled and may now serve this read; the stale ValueTask must not alias it.
        ValueTask<int> fresh = channel.Reader.ReadAsync();
        Assert.False(fresh.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => stale.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => { _ = stale.AsTask(); });

        Assert.True(channel.Writer.TryWrite(2));
        Assert.Equal(2, await fresh.WithTimeout("fresh read"));
    }

    // Regression (fixed in a0a38b4), the three tests below: Waiter<T>.OnCompleted used to store the continuation
    // state *before* finding out that a continuation was already registered, so a refused second await overwrote
    // the first awaiter's state. When the operation completed, the first awaiter's continuation ran with the refused
    // awaiter's state: the refused Task completed (consuming the result, so a read's item was lost to the program)
    // and the legitimate awaiter hung forever. The BCL's AsyncOperation checks before it overwrites.
    private static readonly TimeSpan HijackTimeout = TimeSpan.FromSeconds(3);

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_rejected_second_await_of_a_parked_read_does_not_hijack_the_first(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        ValueTask<int> read = channel.Reader.ReadAsync();
        Task<int> first = read.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });

        // The misuse was refused; the legitimate awaiter must still get the item.
        Assert.True(channel.Writer.TryWrite(1));
        Assert.Same(first, await Task.WhenAny(first, Task.Delay(HijackTimeout)));
        Assert.Equal(1, await first);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_rejected_second_await_of_a_parked_write_does_not_hijack_the_first(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        Assert.True(channel.Writer.TryWrite(0));
        ValueTask write = channel.Writer.WriteAsync(1);
        Task first = write.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = write.AsTask(); });

        Assert.True(channel.Reader.TryRead(out _));
        Assert.Same(first, await Task.WhenAny(first, Task.Delay(HijackTimeout)));
        await first;
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(1, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_rejected_second_await_of_a_parked_WaitToReadAsync_does_not_hijack_the_first(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        Task<bool> first = wait.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = wait.AsTask(); });

        Assert.True(channel.Writer.TryWrite(1));
        Assert.Same(first, await Task.WhenAny(first, Task.Delay(HijackTimeout)));
        Assert.True(await first);
    }
}
