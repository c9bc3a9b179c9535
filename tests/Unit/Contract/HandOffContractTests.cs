namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// How items pass, on every channel: an operation that can proceed completes at once, one that cannot parks until
/// a partner (or room, or an item) comes, and parked readers and writers are served first come, first served.
/// "Full" means holding <see cref="ChannelFactory.Capacity"/> items: for a rendezvous channel, always.
/// </summary>
public class HandOffContractTests
{
    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_read_parks_on_an_empty_channel_until_a_write_comes(string channel)
    {
        Channel<string> c = ChannelsUnderTest.Named(channel).Create<string>();
        ValueTask<string> read = c.Reader.ReadAsync();
        Assert.False(read.IsCompleted);
        ValueTask write = c.Writer.WriteAsync("x");
        Assert.True(write.IsCompletedSuccessfully, "A write that finds a parked reader completes at once.");
        Assert.Equal("x", await Eventually.Completes(read));
        Assert.False(c.Reader.TryRead(out _), "The item went to the parked reader, not into the channel.");
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_write_parks_on_a_full_channel_until_a_read_makes_room(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        ValueTask write = c.Writer.WriteAsync(f.Capacity);
        Assert.False(write.IsCompleted);
        f.AssertCount(c.Reader, f.Capacity);

        Assert.Equal(0, await Eventually.Completes(c.Reader.ReadAsync()));
        await Eventually.Completes(write, "the parked write");
        // The parked item took the room the read made: the channel is full again.
        f.AssertCount(c.Reader, f.Capacity);
        Assert.False(c.Writer.TryWrite(99));
        for (int i = 1; i <= f.Capacity; i++)
        {
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task WaitToReadAsync_parks_until_an_item_can_be_read_and_consumes_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<bool> wait = c.Reader.WaitToReadAsync();
        Assert.False(wait.IsCompleted);

        // A buffered channel takes the item; a rendezvous channel parks the writer, which is what the wait is for.
        ValueTask write = c.Writer.WriteAsync(5);
        Assert.True(await Eventually.Completes(wait));
        f.AssertCount(c.Reader, 1);
        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(5, item);
        await Eventually.Completes(write);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task WaitToWriteAsync_parks_until_a_write_can_proceed_and_reserves_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        ValueTask<bool> wait = c.Writer.WaitToWriteAsync();
        Assert.False(wait.IsCompleted);

        // A buffered channel gives up its oldest item, making room; a rendezvous channel parks the reader.
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.True(await Eventually.Completes(wait));
        Assert.True(c.Writer.TryWrite(4), "The room (or the parked reader) is still there.");
        Assert.Equal(f.IsUnbuffered ? 4 : 0, await Eventually.Completes(read));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Operations_that_can_proceed_complete_synchronously(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();

        // Something to read: an item in the buffer, or a parked writer's item.
        ValueTask write = c.Writer.WriteAsync(7);
        Assert.Equal(!f.IsUnbuffered, write.IsCompletedSuccessfully);
        ValueTask<bool> waitToRead = c.Reader.WaitToReadAsync();
        Assert.True(waitToRead.IsCompletedSuccessfully && waitToRead.Result);
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(7, read.Result);
        await Eventually.Completes(write);

        // Somewhere to write: a parked reader (and, on a buffered channel, free room too).
        ValueTask<int> parkedRead = c.Reader.ReadAsync();
        ValueTask<bool> waitToWrite = c.Writer.WaitToWriteAsync();
        Assert.True(waitToWrite.IsCompletedSuccessfully && waitToWrite.Result);
        ValueTask handOff = c.Writer.WriteAsync(8);
        Assert.True(handOff.IsCompletedSuccessfully);
        Assert.Equal(8, await Eventually.Completes(parkedRead));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public void TryRead_fails_with_nothing_to_read_and_TryWrite_with_no_room(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Assert.False(c.Reader.TryRead(out int item));
        Assert.Equal(default, item);

        Fill(c.Writer, f.Capacity, first: 1);
        Assert.False(c.Writer.TryWrite(-1));
        f.AssertCount(c.Reader, f.Capacity);
        for (int i = 1; i <= f.Capacity; i++)
        {
            Assert.True(c.Reader.TryRead(out item));
            Assert.Equal(i, item);
        }

        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task TryWrite_hands_to_a_parked_reader(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.True(c.Writer.TryWrite(7));
        Assert.Equal(7, await Eventually.Completes(read));
        // The reader was served once: nobody is parked now, so only a buffer takes the next item.
        Assert.Equal(!f.IsUnbuffered, c.Writer.TryWrite(8));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task TryRead_takes_the_item_of_a_parked_writer(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        ValueTask write = c.Writer.WriteAsync(f.Capacity);
        for (int i = 0; i <= f.Capacity; i++)
        {
            Assert.True(c.Reader.TryRead(out int item));
            Assert.Equal(i, item);
        }

        await Eventually.Completes(write);
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_readers_are_served_first_come_first_served(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        var reads = new ValueTask<int>[5];
        for (int i = 0; i < reads.Length; i++)
        {
            reads[i] = c.Reader.ReadAsync();
            Assert.False(reads[i].IsCompleted);
        }

        for (int i = 0; i < reads.Length; i++)
        {
            // Alternate TryWrite and WriteAsync: both hand to the oldest parked reader.
            if (i % 2 == 0)
            {
                Assert.True(c.Writer.TryWrite(i + 1));
            }
            else
            {
                await Eventually.Completes(c.Writer.WriteAsync(i + 1));
            }
        }

        for (int i = 0; i < reads.Length; i++)
        {
            Assert.Equal(i + 1, await Eventually.Completes(reads[i], $"read {i}"));
        }

        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_writers_are_served_first_come_first_served(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        var writes = new ValueTask[5];
        for (int i = 0; i < writes.Length; i++)
        {
            writes[i] = c.Writer.WriteAsync(f.Capacity + i);
            Assert.False(writes[i].IsCompleted);
        }

        // To a newcomer the channel is full while writers are parked.
        Assert.False(c.Writer.TryWrite(100));

        for (int i = 0; i < f.Capacity + writes.Length; i++)
        {
            int item;
            if (i % 2 == 0)
            {
                Assert.True(c.Reader.TryRead(out item));
            }
            else
            {
                item = await Eventually.Completes(c.Reader.ReadAsync());
            }

            Assert.Equal(i, item);
            // Each read lets exactly the oldest parked writer in (or takes its item).
            if (i < writes.Length)
            {
                await Eventually.Completes(writes[i], $"write {i}");
                for (int j = i + 1; j < writes.Length; j++)
                {
                    Assert.False(writes[j].IsCompleted, $"write {j} completed before write {i + 1}");
                }
            }
        }

        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_thousand_parked_writers_keep_their_order(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        var writes = new List<ValueTask>();
        for (int i = f.Capacity; i < f.Capacity + 1000; i++)
        {
            writes.Add(c.Writer.WriteAsync(i));
        }

        for (int i = 0; i < f.Capacity + 1000; i++)
        {
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        foreach (ValueTask write in writes)
        {
            await Eventually.Completes(write);
        }
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_parked_reader_goes_before_WaitToReadAsync(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> read = c.Reader.ReadAsync();
        ValueTask<bool> wait = c.Reader.WaitToReadAsync();

        Assert.True(c.Writer.TryWrite(1));
        Assert.Equal(1, await Eventually.Completes(read));
        // The item went to the parked reader: nothing to read, so WaitToReadAsync still waits.
        Assert.False(wait.IsCompleted);

        ValueTask write = c.Writer.WriteAsync(2);
        Assert.True(await Eventually.Completes(wait));
        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(2, item);
        await Eventually.Completes(write);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_parked_writer_goes_before_WaitToWriteAsync(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        ValueTask write = c.Writer.WriteAsync(f.Capacity);
        ValueTask<bool> wait = c.Writer.WaitToWriteAsync();
        Assert.False(write.IsCompleted);
        Assert.False(wait.IsCompleted);

        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(0, item);
        await Eventually.Completes(write, "the parked write");
        // The room (or the reader) went to the parked writer: WaitToWriteAsync still waits.
        Assert.False(wait.IsCompleted);
        Assert.False(c.Writer.TryWrite(-1));

        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.True(await Eventually.Completes(wait));
        Assert.True(c.Writer.TryWrite(-2));
        Assert.Equal(f.IsUnbuffered ? -2 : 1, await Eventually.Completes(read));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Every_WaitToReadAsync_caller_is_woken_by_one_item(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        var waits = new ValueTask<bool>[4];
        for (int i = 0; i < waits.Length; i++)
        {
            waits[i] = c.Reader.WaitToReadAsync();
            Assert.False(waits[i].IsCompleted);
        }

        ValueTask write = c.Writer.WriteAsync(1);
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.True(await Eventually.Completes(wait));
        }

        f.AssertCount(c.Reader, 1);
        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(1, item);
        await Eventually.Completes(write);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Null_items_pass_through(string channel)
    {
        Channel<string?> c = ChannelsUnderTest.Named(channel).Create<string?>();
        ValueTask write = c.Writer.WriteAsync(null);
        Assert.True(c.Reader.TryRead(out string? item));
        Assert.Null(item);
        await Eventually.Completes(write);

        ValueTask<string?> read = c.Reader.ReadAsync();
        Assert.True(c.Writer.TryWrite(null));
        Assert.Null(await Eventually.Completes(read));

        Task producer = Task.Run(async () =>
        {
            await c.Writer.WriteAsync(null);
            await c.Writer.WriteAsync("b");
            c.Writer.Complete();
        });
        var all = new List<string?>();
        await foreach (string? s in c.Reader.ReadAllAsync())
        {
            all.Add(s);
        }

        await Eventually.Completes(producer);
        Assert.Equal(new string?[] { null, "b" }, all);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task ReadAllAsync_takes_every_item_in_order_and_ends_when_the_channel_completes(string channel)
    {
        const int Items = 50_000;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                await c.Writer.WriteAsync(i);
            }

            c.Writer.Complete();
        });

        var received = new List<int>();
        await foreach (int item in c.Reader.ReadAllAsync())
        {
            received.Add(item);
        }

        await Eventually.Completes(producer);
        Assert.Equal(Enumerable.Range(0, Items), received);
        await Eventually.Completes(c.Reader.Completion);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_TryWrite_producer_meets_a_ReadAsync_consumer(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        Task<int> consumer = Task.Run(async () =>
        {
            int sum = 0;
            for (int i = 0; i < 500; i++)
            {
                sum += await c.Reader.ReadAsync();
            }

            return sum;
        });

        for (int i = 0; i < 500; i++)
        {
            while (!c.Writer.TryWrite(i))
            {
                Assert.True(await Eventually.Completes(c.Writer.WaitToWriteAsync()));
            }
        }

        Assert.Equal(500 * 499 / 2, await Eventually.Completes(consumer));
    }
}
