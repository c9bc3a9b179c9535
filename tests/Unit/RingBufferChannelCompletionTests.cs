using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;
using static Rendezvous.Channels.Tests.Unit.RingBufferTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; completion (issue 3): accepted items drain in order, later and parked writes fail, reads
/// fail once drained, Completion completes only after the drain. Each contract test also runs against
/// <c>Channel.CreateBounded</c>, so that where our behaviour follows System.Threading.Channels the test proves we match it.
/// </summary>
public class RingBufferChannelCompletionTests
{
    /// <summary>A distinct error type, so that a test can tell the completion error from anything else.</summary>
    private sealed class CompletionError : Exception
    {
        public CompletionError()
            : base("completion error")
        {
        }

        public CompletionError(string message)
            : base(message)
        {
        }

        public CompletionError(string message, Exception inner)
            : base(message, inner)
        {
        }
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task After_Complete_accepted_items_drain_in_order_and_new_writes_fail(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 4);
        Fill(channel.Writer, 3);
        channel.Writer.Complete();

        Assert.False(channel.Writer.TryWrite(100));
        ChannelClosedException writeError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(101).WithTimeout());
        Assert.Null(writeError.InnerException);
        Assert.False(await channel.Writer.WaitToWriteAsync().WithTimeout());

        Assert.Equal(3, channel.Reader.Count);
        Assert.True(await channel.Reader.WaitToReadAsync().WithTimeout());
        Assert.True(channel.Reader.TryPeek(out int head));
        Assert.Equal(0, head);

        Assert.Equal(0, await channel.Reader.ReadAsync().WithTimeout());
        Assert.True(channel.Reader.TryRead(out int second));
        Assert.Equal(1, second);
        // One item left: not completed yet.
        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.True(await channel.Reader.WaitToReadAsync().WithTimeout());

        Assert.Equal(2, await channel.Reader.ReadAsync().WithTimeout());
        // Drained: Completion completes with the last read.
        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
        await channel.Reader.Completion.WithTimeout();

        Assert.False(channel.Reader.TryRead(out _));
        Assert.False(channel.Reader.TryPeek(out _));
        Assert.Equal(0, channel.Reader.Count);
        Assert.False(await channel.Reader.WaitToReadAsync().WithTimeout());
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().WithTimeout());
        Assert.Null(readError.InnerException);
        Assert.False(await channel.Writer.WaitToWriteAsync().WithTimeout());
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Completing_an_empty_channel_completes_Completion_at_once(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.True(channel.Writer.TryComplete());
        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
        Assert.False(await channel.Reader.WaitToReadAsync().WithTimeout());
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().WithTimeout());
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Completing_with_an_error_faults_reads_writes_and_Completion_with_that_error(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 3);
        Fill(channel.Writer, 2);
        var error = new CompletionError();
        channel.Writer.Complete(error);

        // Writes: ChannelClosedException wrapping the error; WaitToWriteAsync: the error itself.
        Assert.False(channel.Writer.TryWrite(9));
        ChannelClosedException writeError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(9).WithTimeout());
        Assert.Same(error, writeError.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => channel.Writer.WaitToWriteAsync().WithTimeout()));

        // While items remain they are still read, and WaitToReadAsync says so.
        Assert.True(await channel.Reader.WaitToReadAsync().WithTimeout());
        Assert.Equal(0, await channel.Reader.ReadAsync().WithTimeout());
        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.True(channel.Reader.TryRead(out int last));
        Assert.Equal(1, last);

        // Drained: Completion faults with the error; reads throw ChannelClosedException(inner: the error);
        // WaitToReadAsync throws the error itself (as System.Threading.Channels does).
        Assert.True(channel.Reader.Completion.IsFaulted);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => channel.Reader.Completion.WithTimeout()));
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().WithTimeout());
        Assert.Same(error, readError.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => channel.Reader.WaitToReadAsync().WithTimeout()));
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task ReadAllAsync_drains_then_ends_or_throws_the_completion_error(string implementation)
    {
        Channel<int> clean = Create<int>(implementation, 3);
        Fill(clean.Writer, 3);
        clean.Writer.Complete();
        var items = new List<int>();
        await foreach (int item in clean.Reader.ReadAllAsync())
        {
            items.Add(item);
        }

        Assert.Equal([0, 1, 2], items);

        Channel<int> faulted = Create<int>(implementation, 3);
        Fill(faulted.Writer, 2);
        var error = new CompletionError();
        faulted.Writer.Complete(error);
        items.Clear();
        CompletionError thrown = await Assert.ThrowsAsync<CompletionError>(async () =>
        {
            await foreach (int item in faulted.Reader.ReadAllAsync())
            {
                items.Add(item);
            }
        });
        Assert.Same(error, thrown);
        Assert.Equal([0, 1], items);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Completing_with_an_OperationCanceledException_cancels_Completion(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var error = new OperationCanceledException(cts.Token);
        channel.Writer.Complete(error);

        Assert.True(channel.Reader.Completion.IsCanceled);
        // Reads and writes fail with a cancellation carrying the error's token (the BCL makes a canceled task for
        // it, we rethrow the error itself: both are OperationCanceledExceptions for the same token).
        OperationCanceledException readError = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Reader.ReadAsync().WithTimeout());
        Assert.Equal(cts.Token, readError.CancellationToken);
        OperationCanceledException writeError = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Writer.WriteAsync(1).WithTimeout());
        Assert.Equal(cts.Token, writeError.CancellationToken);
        Assert.False(channel.Writer.TryWrite(1));
    }

    // Regression (fixed in 9f3be31): after Complete(error) with an OperationCanceledException, the BCL completes its
    // parked ReadAsync / WriteAsync / WaitToReadAsync as *canceled* (its AsyncOperation reports Canceled for an OCE),
    // and a later ReadAsync returns a canceled ValueTask (Task.FromCanceled); ours used to fault them all with the
    // OCE. Awaiting throws an OperationCanceledException either way; only code that inspects the status (IsCanceled,
    // AsTask().Status, ContinueWith(OnlyOnCanceled)) sees it. (A later WriteAsync / WaitToReadAsync / WaitToWriteAsync
    // is faulted in the BCL too, so those are not asserted.)
    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Operations_failed_by_a_cancellation_completion_are_canceled_like_the_BCL(string implementation)
    {
        Channel<int> empty = Create<int>(implementation, 1);
        Task<int> parkedRead = empty.Reader.ReadAsync().AsTask();
        Task<bool> parkedWaitToRead = empty.Reader.WaitToReadAsync().AsTask();
        Channel<int> full = Create<int>(implementation, 1);
        Fill(full.Writer, 1);
        Task parkedWrite = full.Writer.WriteAsync(1).AsTask();

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var error = new OperationCanceledException(cts.Token);
        empty.Writer.Complete(error);
        full.Writer.Complete(error);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parkedRead.WithTimeout("parked read"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parkedWaitToRead.WithTimeout("parked WaitToReadAsync"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => parkedWrite.WithTimeout("parked write"));
        ValueTask<int> read = empty.Reader.ReadAsync();
        Assert.Equal(
            (true, true, true, true),
            (parkedRead.IsCanceled, parkedWaitToRead.IsCanceled, parkedWrite.IsCanceled, read.IsCanceled));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_second_completion_is_refused_and_changes_nothing(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        var error = new CompletionError();
        Assert.True(channel.Writer.TryComplete(error));
        Assert.False(channel.Writer.TryComplete());
        Assert.False(channel.Writer.TryComplete(new CompletionError("another")));
        Assert.Throws<ChannelClosedException>(() => channel.Writer.Complete());
        Assert.Throws<ChannelClosedException>(() => channel.Writer.Complete(new CompletionError("another")));

        // Still the first error.
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => channel.Reader.Completion.WithTimeout()));
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().WithTimeout());
        Assert.Same(error, readError.InnerException);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_writers_fail_on_completion_and_their_items_are_never_delivered(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        Fill(channel.Writer, 2);
        var parked = new ValueTask[3];
        for (int i = 0; i < parked.Length; i++)
        {
            parked[i] = channel.Writer.WriteAsync(100 + i);
            Assert.False(parked[i].IsCompleted);
        }

        channel.Writer.Complete();

        foreach (ValueTask write in parked)
        {
            ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => write.WithTimeout("parked write"));
            Assert.Null(ex.InnerException);
        }

        // Only the accepted items come out.
        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.Equal(2, channel.Reader.Count);
        Assert.Equal(0, await channel.Reader.ReadAsync().WithTimeout());
        Assert.Equal(1, await channel.Reader.ReadAsync().WithTimeout());
        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
        Assert.False(channel.Reader.TryRead(out _));
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().WithTimeout());
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_writers_fail_with_the_completion_error(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        Fill(channel.Writer, 1);
        ValueTask parked = channel.Writer.WriteAsync(1);
        ValueTask<bool> waitToWrite = channel.Writer.WaitToWriteAsync();
        var error = new CompletionError();
        channel.Writer.Complete(error);

        ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => parked.WithTimeout("parked write"));
        Assert.Same(error, ex.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => waitToWrite.WithTimeout("WaitToWriteAsync")));
        Assert.Equal(0, await channel.Reader.ReadAsync().WithTimeout());
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => channel.Reader.Completion.WithTimeout()));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_readers_and_WaitToReadAsync_are_answered_on_completion(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        ValueTask<int> read1 = channel.Reader.ReadAsync();
        ValueTask<int> read2 = channel.Reader.ReadAsync();
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        Assert.False(read1.IsCompleted);
        Assert.False(wait.IsCompleted);

        channel.Writer.Complete();

        Assert.Null((await Assert.ThrowsAsync<ChannelClosedException>(() => read1.WithTimeout("read1"))).InnerException);
        Assert.Null((await Assert.ThrowsAsync<ChannelClosedException>(() => read2.WithTimeout("read2"))).InnerException);
        Assert.False(await wait.WithTimeout("WaitToReadAsync"));
        await channel.Reader.Completion.WithTimeout("Completion");
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Parked_readers_and_WaitToReadAsync_get_the_completion_error(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        ValueTask<int> read = channel.Reader.ReadAsync();
        ValueTask<bool> wait = channel.Reader.WaitToReadAsync();
        var error = new CompletionError();
        channel.Writer.Complete(error);

        ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => read.WithTimeout("read"));
        Assert.Same(error, ex.InnerException);
        // System.Threading.Channels' contract: WaitToReadAsync throws the completion error.
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => wait.WithTimeout("WaitToReadAsync")));
        Assert.True(channel.Reader.Completion.IsFaulted);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task WaitToWriteAsync_parked_on_a_full_channel_answers_false_on_completion(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        Fill(channel.Writer, 1);
        ValueTask<bool> wait = channel.Writer.WaitToWriteAsync();
        Assert.False(wait.IsCompleted);
        channel.Writer.Complete();
        Assert.False(await wait.WithTimeout("WaitToWriteAsync"));
        // The accepted item is still there.
        Assert.True(await channel.Reader.WaitToReadAsync().WithTimeout());
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(0, item);
        Assert.True(channel.Reader.Completion.IsCompleted);
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
            Assert.Equal(expected++, await channel.Reader.ReadAsync().WithTimeout());
        }

        Assert.True(channel.Reader.Completion.IsCompletedSuccessfully);
    }
}
