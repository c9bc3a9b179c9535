namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Completion, on every channel: accepted items still drain in order, later and parked writes fail and their items
/// are never delivered, parked readers and WaitTo callers are answered at once, Completion completes only after
/// the drain, and errors reach each caller in the shape System.Threading.Channels gives them.
/// </summary>
public class CompletionContractTests
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
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task After_Complete_accepted_items_drain_in_order_and_new_writes_fail(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        c.Writer.Complete();

        Assert.False(c.Writer.TryWrite(100));
        ChannelClosedException writeError = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Writer.WriteAsync(101)));
        Assert.Null(writeError.InnerException);
        Assert.False(await Eventually.Completes(c.Writer.WaitToWriteAsync()));

        for (int i = 0; i < f.Capacity; i++)
        {
            // Not completed while an item remains, and WaitToReadAsync says there is one.
            Assert.False(c.Reader.Completion.IsCompleted);
            f.AssertCount(c.Reader, f.Capacity - i);
            Assert.True(await Eventually.Completes(c.Reader.WaitToReadAsync()));
            Assert.Equal(i, i % 2 == 0 ? await Eventually.Completes(c.Reader.ReadAsync()) : TryRead(c.Reader));
        }

        // Drained: Completion completes with the last read (or at once, with nothing to drain).
        Assert.True(c.Reader.Completion.IsCompletedSuccessfully);
        Assert.False(c.Reader.TryRead(out _));
        f.AssertCount(c.Reader, 0);
        Assert.False(await Eventually.Completes(c.Reader.WaitToReadAsync()));
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Reader.ReadAsync()));
        Assert.Null(readError.InnerException);
        Assert.False(await Eventually.Completes(c.Writer.WaitToWriteAsync()));
    }

    private static int TryRead(ChannelReader<int> reader)
    {
        Assert.True(reader.TryRead(out int item));
        return item;
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Completing_with_an_error_faults_reads_writes_and_Completion_with_that_error(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        var error = new CompletionError();
        c.Writer.Complete(error);

        // Writes: ChannelClosedException wrapping the error; WaitToWriteAsync: the error itself.
        Assert.False(c.Writer.TryWrite(9));
        ChannelClosedException writeError = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Writer.WriteAsync(9)));
        Assert.Same(error, writeError.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(c.Writer.WaitToWriteAsync())));

        // While items remain they are still read, and WaitToReadAsync says so.
        for (int i = 0; i < f.Capacity; i++)
        {
            Assert.False(c.Reader.Completion.IsCompleted);
            Assert.True(await Eventually.Completes(c.Reader.WaitToReadAsync()));
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        // Drained: Completion faults with the error; reads throw ChannelClosedException(inner: the error);
        // WaitToReadAsync throws the error itself (as System.Threading.Channels documents).
        Assert.True(c.Reader.Completion.IsFaulted);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(c.Reader.Completion)));
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Reader.ReadAsync()));
        Assert.Same(error, readError.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(c.Reader.WaitToReadAsync())));
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task ReadAllAsync_drains_then_ends_or_throws_the_completion_error(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> clean = f.Create<int>();
        Fill(clean.Writer, f.Capacity);
        clean.Writer.Complete();
        var items = new List<int>();
        await foreach (int item in clean.Reader.ReadAllAsync())
        {
            items.Add(item);
        }

        Assert.Equal(System.Linq.Enumerable.Range(0, f.Capacity), items);

        Channel<int> faulted = f.Create<int>();
        Fill(faulted.Writer, f.Capacity);
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
        Assert.Equal(System.Linq.Enumerable.Range(0, f.Capacity), items);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_second_completion_is_refused_and_changes_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        Assert.False(c.Reader.Completion.IsCompleted);
        var error = new CompletionError();
        Assert.True(c.Writer.TryComplete(error));
        Assert.False(c.Writer.TryComplete());
        Assert.False(c.Writer.TryComplete(new CompletionError("another")));
        Assert.Throws<ChannelClosedException>(() => c.Writer.Complete());
        Assert.Throws<ChannelClosedException>(() => c.Writer.Complete(new CompletionError("another")));

        // Still the first error.
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(c.Reader.Completion)));
        ChannelClosedException readError = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Reader.ReadAsync()));
        Assert.Same(error, readError.InnerException);

        Channel<int> cleanly = ChannelsUnderTest.Named(channel).Create<int>();
        Assert.True(cleanly.Writer.TryComplete());
        Assert.True(cleanly.Reader.Completion.IsCompletedSuccessfully, "Nothing to drain: Completion completes at once.");
        await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(cleanly.Reader.ReadAsync()));
        Assert.False(cleanly.Writer.TryComplete());
        Assert.Throws<ChannelClosedException>(() => cleanly.Writer.Complete());
        Assert.False(await Eventually.Completes(cleanly.Reader.WaitToReadAsync()));
        await Eventually.Completes(cleanly.Reader.Completion);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Completing_with_an_OperationCanceledException_cancels_Completion(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var error = new OperationCanceledException(cts.Token);
        c.Writer.Complete(error);

        Assert.True(c.Reader.Completion.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.Reader.Completion);
        // Reads and writes fail with a cancellation carrying the error's token (the BCL makes a canceled task for
        // it, we rethrow the error itself: both are OperationCanceledExceptions for the same token).
        OperationCanceledException readError = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(c.Reader.ReadAsync()));
        Assert.Equal(cts.Token, readError.CancellationToken);
        OperationCanceledException writeError = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(c.Writer.WriteAsync(1)));
        Assert.Equal(cts.Token, writeError.CancellationToken);
        Assert.False(c.Writer.TryWrite(1));
    }

    // After Complete(error) with an OperationCanceledException, the BCL completes its parked ReadAsync / WriteAsync /
    // WaitToReadAsync as *canceled* (its AsyncOperation reports Canceled for an OCE), and a later ReadAsync returns a
    // canceled ValueTask. Awaiting throws an OperationCanceledException either way; only code that inspects the
    // status (IsCanceled, AsTask().Status, ContinueWith(OnlyOnCanceled)) sees the difference. (A later WriteAsync /
    // WaitToReadAsync / WaitToWriteAsync is faulted in the BCL too, so those are not asserted.)
    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Operations_failed_by_a_cancellation_completion_are_canceled_like_the_BCL(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> empty = f.Create<int>();
        Task<int> parkedRead = empty.Reader.ReadAsync().AsTask();
        Task<bool> parkedWaitToRead = empty.Reader.WaitToReadAsync().AsTask();
        Channel<int> full = f.Create<int>();
        Fill(full.Writer, f.Capacity);
        Task parkedWrite = full.Writer.WriteAsync(1).AsTask();

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var error = new OperationCanceledException(cts.Token);
        empty.Writer.Complete(error);
        full.Writer.Complete(error);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(parkedRead));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(parkedWaitToRead));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(parkedWrite));
        ValueTask<int> read = empty.Reader.ReadAsync();
        Assert.Equal(
            (true, true, true, true),
            (parkedRead.IsCanceled, parkedWaitToRead.IsCanceled, parkedWrite.IsCanceled, read.IsCanceled));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_writers_fail_on_completion_and_their_items_are_never_delivered(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        var parked = new ValueTask[3];
        for (int i = 0; i < parked.Length; i++)
        {
            parked[i] = c.Writer.WriteAsync(100 + i);
            Assert.False(parked[i].IsCompleted);
        }

        c.Writer.Complete();

        foreach (ValueTask write in parked)
        {
            ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(write));
            Assert.Null(ex.InnerException);
        }

        // Only the accepted items come out.
        f.AssertCount(c.Reader, f.Capacity);
        for (int i = 0; i < f.Capacity; i++)
        {
            Assert.False(c.Reader.Completion.IsCompleted);
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        Assert.True(c.Reader.Completion.IsCompletedSuccessfully);
        Assert.False(c.Reader.TryRead(out _), "The items of failed writes are never delivered.");
        await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(c.Reader.ReadAsync()));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_writers_and_WaitToWriteAsync_fail_with_the_completion_error(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        ValueTask parked = c.Writer.WriteAsync(f.Capacity);
        ValueTask<bool> waitToWrite = c.Writer.WaitToWriteAsync();
        var error = new CompletionError();
        c.Writer.Complete(error);

        ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(parked));
        Assert.Same(error, ex.InnerException);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(waitToWrite)));
        for (int i = 0; i < f.Capacity; i++)
        {
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(c.Reader.Completion)));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_readers_and_WaitTo_callers_are_answered_on_completion(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> read1 = c.Reader.ReadAsync();
        ValueTask<int> read2 = c.Reader.ReadAsync();
        ValueTask<int> read3 = c.Reader.ReadAsync();
        ValueTask<bool> wait = c.Reader.WaitToReadAsync();
        Assert.False(read1.IsCompleted);
        Assert.False(wait.IsCompleted);

        c.Writer.Complete();

        foreach (ValueTask<int> read in new[] { read1, read2, read3 })
        {
            Assert.Null((await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(read))).InnerException);
        }

        Assert.False(await Eventually.Completes(wait));
        await Eventually.Completes(c.Reader.Completion);

        // A WaitToWriteAsync parked on a full channel answers false; the accepted items are still there.
        Channel<int> full = f.Create<int>();
        Fill(full.Writer, f.Capacity);
        ValueTask<bool> waitToWrite = full.Writer.WaitToWriteAsync();
        Assert.False(waitToWrite.IsCompleted);
        full.Writer.Complete();
        Assert.False(await Eventually.Completes(waitToWrite));
        Assert.Equal(!f.IsUnbuffered, await Eventually.Completes(full.Reader.WaitToReadAsync()));
        for (int i = 0; i < f.Capacity; i++)
        {
            Assert.True(full.Reader.TryRead(out int item));
            Assert.Equal(i, item);
        }

        Assert.True(full.Reader.Completion.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_readers_and_WaitTo_callers_get_the_completion_error(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> read = c.Reader.ReadAsync();
        ValueTask<bool> wait = c.Reader.WaitToReadAsync();
        var error = new CompletionError();
        c.Writer.Complete(error);

        ChannelClosedException ex = await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(read));
        Assert.Same(error, ex.InnerException);
        // System.Threading.Channels' contract: WaitToReadAsync throws the completion error.
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => Eventually.Completes(wait)));
        Assert.True(c.Reader.Completion.IsFaulted);
        Assert.Same(error, await Assert.ThrowsAsync<CompletionError>(() => c.Reader.Completion));
    }
}
