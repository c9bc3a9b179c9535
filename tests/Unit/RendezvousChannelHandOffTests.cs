using System;
using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>The hand-off contract: a write completes only when a reader has taken its item.</summary>
public class RendezvousChannelHandOffTests
{
    [Fact]
    public async Task WriteAsync_parks_until_a_reader_takes_the_item()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask write = channel.Writer.WriteAsync(1);
        Assert.False(write.IsCompleted);
        Assert.Equal(1, await Eventually.Completes(channel.Reader.ReadAsync()));
        await Eventually.Completes(write);
    }

    [Fact]
    public async Task ReadAsync_parks_until_a_writer_comes()
    {
        var channel = new RendezvousChannel<string>();
        ValueTask<string> read = channel.Reader.ReadAsync();
        Assert.False(read.IsCompleted);
        ValueTask write = channel.Writer.WriteAsync("x");
        Assert.True(write.IsCompletedSuccessfully, "A write that finds a parked reader completes at once.");
        Assert.Equal("x", await Eventually.Completes(read));
    }

    [Fact]
    public void TryWrite_fails_without_a_parked_reader_and_TryRead_without_a_parked_writer()
    {
        var channel = new RendezvousChannel<int>();
        Assert.False(channel.Writer.TryWrite(1));
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task TryWrite_hands_to_a_reader_parked_in_ReadAsync()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.True(channel.Writer.TryWrite(7));
        Assert.Equal(7, await Eventually.Completes(read));
        Assert.False(channel.Writer.TryWrite(8), "The reader was served once; nobody is parked now.");
    }

    [Fact]
    public async Task TryRead_takes_the_item_of_a_writer_parked_in_WriteAsync()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask write = channel.Writer.WriteAsync(9);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(9, item);
        await Eventually.Completes(write);
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Fact]
    public async Task WaitToReadAsync_completes_true_when_a_writer_parks()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        Assert.False(wait.IsCompleted);
        ValueTask write = channel.Writer.WriteAsync(3);
        Assert.True(await Eventually.Completes(wait));
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(3, item);
        await Eventually.Completes(write);
    }

    [Fact]
    public async Task WaitToWriteAsync_completes_true_when_a_reader_parks()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<bool> wait = channel.Writer.WaitToWriteAsync();
        Assert.False(wait.IsCompleted);
        ValueTask<int> read = channel.Reader.ReadAsync();
        Assert.True(await Eventually.Completes(wait));
        Assert.True(channel.Writer.TryWrite(4));
        Assert.Equal(4, await Eventually.Completes(read));
    }

    [Fact]
    public async Task WaitTo_completes_at_once_when_the_partner_is_already_parked()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask write = channel.Writer.WriteAsync(1);
        Assert.True(channel.Reader.WaitToReadAsync().IsCompletedSuccessfully);
        Assert.True(channel.Reader.TryRead(out _));
        await write;

        ValueTask<int> read = channel.Reader.ReadAsync();
        ValueTask<bool> waitToWrite = channel.Writer.WaitToWriteAsync();
        Assert.True(waitToWrite.IsCompletedSuccessfully && waitToWrite.Result);
        Assert.True(channel.Writer.TryWrite(2));
        Assert.Equal(2, await read);
    }

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
    public async Task ReadAllAsync_consumes_WriteAsync_producers()
    {
        var channel = new RendezvousChannel<int>();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                await channel.Writer.WriteAsync(i);
            }

            channel.Writer.Complete();
        });

        var received = new List<int>();
        await foreach (int item in channel.Reader.ReadAllAsync())
        {
            received.Add(item);
        }

        await Eventually.Completes(producer);
        Assert.Equal(System.Linq.Enumerable.Range(0, 1000), received);
    }

    [Fact]
    public async Task TryWrite_producer_meets_ReadAsync_consumer()
    {
        var channel = new RendezvousChannel<int>();
        Task<int> consumer = Task.Run(async () =>
        {
            int sum = 0;
            for (int i = 0; i < 500; i++)
            {
                sum += await channel.Reader.ReadAsync();
            }

            return sum;
        });

        for (int i = 0; i < 500; i++)
        {
            while (!channel.Writer.TryWrite(i))
            {
                Assert.True(await Eventually.Completes(channel.Writer.WaitToWriteAsync()));
            }
        }

        Assert.Equal(500 * 499 / 2, await Eventually.Completes(consumer));
    }

    [Fact]
    public async Task Parked_readers_are_served_first_come_first_served()
    {
        var channel = new RendezvousChannel<int>();
        var reads = new List<ValueTask<int>>();
        for (int i = 0; i < 5; i++)
        {
            reads.Add(channel.Reader.ReadAsync());
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.True(channel.Writer.TryWrite(i));
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, await Eventually.Completes(reads[i]));
        }
    }

    [Fact]
    public async Task Parked_writers_are_served_first_come_first_served()
    {
        var channel = new RendezvousChannel<int>();
        var writes = new List<ValueTask>();
        for (int i = 0; i < 5; i++)
        {
            writes.Add(channel.Writer.WriteAsync(i));
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.True(channel.Reader.TryRead(out int item));
            Assert.Equal(i, item);
        }

        foreach (ValueTask write in writes)
        {
            await Eventually.Completes(write);
        }
    }

    [Fact]
    public async Task Many_parked_operations_grow_the_waiter_queue_and_keep_their_order()
    {
        var channel = new RendezvousChannel<int>();
        var writes = new List<ValueTask>();
        for (int i = 0; i < 1000; i++)
        {
            writes.Add(channel.Writer.WriteAsync(i));
        }

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(i, await Eventually.Completes(channel.Reader.ReadAsync()));
        }

        foreach (ValueTask write in writes)
        {
            await Eventually.Completes(write);
        }
    }

    [Fact]
    public async Task Null_items_pass_through()
    {
        var channel = new RendezvousChannel<string?>();
        ValueTask write = channel.Writer.WriteAsync(null);
        Assert.True(channel.Reader.TryRead(out string? item));
        Assert.Null(item);
        await write;

        ValueTask<string?> read = channel.Reader.ReadAsync();
        Assert.True(channel.Writer.TryWrite(null));
        Assert.Null(await read);
    }

    [Fact]
    public void It_is_a_Channel_and_cannot_count_or_peek()
    {
        Channel<int> channel = new RendezvousChannel<int>();
        Assert.False(channel.Reader.CanCount);
        Assert.False(channel.Reader.CanPeek);
        Assert.Throws<NotSupportedException>(() => channel.Reader.Count);
    }
}
