using System;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Mandatory completion: completing wakes everyone at once, and nothing is delivered afterwards.</summary>
public class RendezvousChannelCompletionTests
{
    [Fact]
    public async Task Complete_wakes_every_parked_reader_and_writer()
    {
        var readers = new RendezvousChannel<int>();
        var writers = new RendezvousChannel<int>();
        ValueTask<int>[] reads = [readers.Reader.ReadAsync(), readers.Reader.ReadAsync(), readers.Reader.ReadAsync()];
        ValueTask[] writes = [writers.Writer.WriteAsync(1), writers.Writer.WriteAsync(2)];

        readers.Writer.Complete();
        writers.Writer.Complete();

        foreach (ValueTask<int> read in reads)
        {
            await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(read));
        }

        foreach (ValueTask write in writes)
        {
            await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(write));
        }

        Assert.False(writers.Reader.TryRead(out _), "The items of failed writes are never delivered.");
    }

    [Fact]
    public async Task Complete_with_an_error_wraps_it_in_ChannelClosedException()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask<int> parkedRead = channel.Reader.ReadAsync();
        var error = new InvalidOperationException("producer failed");
        channel.Writer.Complete(error);

        ChannelClosedException parked = await Assert.ThrowsAsync<ChannelClosedException>(() => parkedRead.AsTask());
        Assert.Same(error, parked.InnerException);
        ChannelClosedException later = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().AsTask());
        Assert.Same(error, later.InnerException);
        ChannelClosedException write = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(1).AsTask());
        Assert.Same(error, write.InnerException);
        Exception completion = await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Reader.Completion);
        Assert.Same(error, completion);
    }

    [Fact]
    public async Task Later_operations_fail_and_WaitTo_answers_false()
    {
        var channel = new RendezvousChannel<int>();
        channel.Writer.Complete();
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().AsTask());
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(1).AsTask());
        Assert.False(channel.Writer.TryWrite(1));
        Assert.False(channel.Reader.TryRead(out _));
        Assert.False(await channel.Reader.WaitToReadAsync());
        Assert.False(await channel.Writer.WaitToWriteAsync());
        await Eventually.Completes(channel.Reader.Completion);
    }

    [Fact]
    public async Task Parked_WaitTo_calls_answer_false_or_the_error()
    {
        var clean = new RendezvousChannel<int>();
        ValueTask<bool> waitToRead = clean.Reader.WaitToReadAsync();
        ValueTask<bool> waitToWrite = clean.Writer.WaitToWriteAsync();
        clean.Writer.Complete();
        Assert.False(await Eventually.Completes(waitToRead));
        Assert.False(await Eventually.Completes(waitToWrite));

        // As System.Threading.Channels documents: after completion with an error, WaitTo throws that error.
        var faulted = new RendezvousChannel<int>();
        ValueTask<bool> parked = faulted.Reader.WaitToReadAsync();
        var error = new FormatException();
        faulted.Writer.Complete(error);
        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(() => parked.AsTask()));
        Assert.Same(error, await Assert.ThrowsAsync<FormatException>(() => faulted.Writer.WaitToWriteAsync().AsTask()));
    }

    [Fact]
    public async Task Completion_matches_the_BCL_for_the_same_calls()
    {
        Channel<int>[] channels = [new RendezvousChannel<int>(), Channel.CreateBounded<int>(0)];
        foreach (Channel<int> channel in channels)
        {
            Assert.True(channel.Writer.TryComplete());
            Assert.False(channel.Writer.TryComplete());
            Assert.Throws<ChannelClosedException>(() => channel.Writer.Complete());
            Assert.False(await channel.Reader.WaitToReadAsync());
            await channel.Reader.Completion;
        }
    }

    [Fact]
    public async Task Completion_with_OperationCanceledException_cancels_the_completion_task()
    {
        var channel = new RendezvousChannel<int>();
        channel.Writer.Complete(new OperationCanceledException());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Reader.Completion);
        Assert.True(channel.Reader.Completion.IsCanceled);
    }

    [Fact]
    public async Task ReadAllAsync_ends_when_the_channel_completes()
    {
        var channel = new RendezvousChannel<int>();
        Task<int> consumer = Task.Run(async () =>
        {
            int count = 0;
            await foreach (int item in channel.Reader.ReadAllAsync())
            {
                count++;
            }

            return count;
        });
        await channel.Writer.WriteAsync(1);
        await channel.Writer.WriteAsync(2);
        channel.Writer.Complete();
        Assert.Equal(2, await Eventually.Completes(consumer));
    }
}
