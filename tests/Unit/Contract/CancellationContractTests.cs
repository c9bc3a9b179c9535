namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Cancellation, on every channel: an already-canceled token fails at once and changes nothing; a canceled parked
/// operation leaves the channel as if it had never come (a write delivers nothing, a read takes nothing), and the
/// parties parked around it keep their order. The races are in <see cref="StressContractTests"/> and
/// <see cref="RaceContractTests"/>.
/// </summary>
public class CancellationContractTests
{
    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task An_already_canceled_token_fails_every_operation_at_once_and_changes_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        // Nothing to read, a reader parked: a write could hand over at once, a read would park.
        ValueTask<int> parkedRead = c.Reader.ReadAsync();
        ValueTask write = c.Writer.WriteAsync(1, cts.Token);
        Assert.True(write.IsCanceled);
        Assert.Equal(cts.Token, (await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.AsTask())).CancellationToken);
        Assert.False(parkedRead.IsCompleted, "A canceled call must not hand its item to a parked reader.");
        Assert.True(c.Reader.ReadAsync(cts.Token).IsCanceled);
        Assert.True(c.Reader.WaitToReadAsync(cts.Token).IsCanceled);
        Assert.True(c.Writer.WaitToWriteAsync(cts.Token).IsCanceled);
        Assert.True(c.Writer.TryWrite(2));
        Assert.Equal(2, await Eventually.Completes(parkedRead));
        Assert.False(c.Reader.TryRead(out _));

        // Full, a writer parked: a read could proceed at once, a write would park.
        Fill(c.Writer, f.Capacity);
        ValueTask parkedWrite = c.Writer.WriteAsync(f.Capacity);
        Assert.True(c.Reader.ReadAsync(cts.Token).IsCanceled);
        Assert.True(c.Reader.WaitToReadAsync(cts.Token).IsCanceled);
        Assert.True(c.Writer.WriteAsync(9, cts.Token).IsCanceled);
        Assert.True(c.Writer.WaitToWriteAsync(cts.Token).IsCanceled);
        Assert.False(parkedWrite.IsCompleted, "A canceled read must not take a parked writer's item.");
        f.AssertCount(c.Reader, f.Capacity);

        // Nothing was taken, nothing was added.
        for (int i = 0; i <= f.Capacity; i++)
        {
            Assert.Equal(i, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        await Eventually.Completes(parkedWrite);
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_canceled_parked_write_delivers_nothing_and_holds_no_room(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        using var cts = new CancellationTokenSource();
        ValueTask write = c.Writer.WriteAsync(100, cts.Token);
        Assert.False(write.IsCompleted);

        await cts.CancelAsync();
        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(write));
        Assert.Equal(cts.Token, ex.CancellationToken);

        f.AssertCount(c.Reader, f.Capacity);
        for (int i = 0; i < f.Capacity; i++)
        {
            Assert.True(c.Reader.TryRead(out int item));
            Assert.Equal(i, item);
        }

        Assert.False(c.Reader.TryRead(out _));
        f.AssertCount(c.Reader, 0);
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.False(read.IsCompleted, "The canceled writer's item must not reach a later reader.");
        Assert.True(c.Writer.TryWrite(2), "The canceled writer holds no room (and no reader) for itself.");
        Assert.Equal(2, await Eventually.Completes(read));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_canceled_parked_read_takes_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> read = c.Reader.ReadAsync(cts.Token);
        Assert.False(read.IsCompleted);

        await cts.CancelAsync();
        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(read));
        Assert.Equal(cts.Token, ex.CancellationToken);

        // The canceled reader is no longer parked: a rendezvous write now parks, a buffered one is kept.
        ValueTask write = c.Writer.WriteAsync(7);
        Assert.Equal(!f.IsUnbuffered, write.IsCompleted);
        f.AssertCount(c.Reader, 1);
        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(7, item);
        await Eventually.Completes(write);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Canceled_parked_readers_at_the_head_and_in_the_middle_are_skipped_in_order(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var head = new CancellationTokenSource();
        using var middle = new CancellationTokenSource();
        ValueTask<int> h0 = c.Reader.ReadAsync(head.Token);
        ValueTask<int> h1 = c.Reader.ReadAsync(head.Token);
        ValueTask<int> r0 = c.Reader.ReadAsync();
        ValueTask<int> m0 = c.Reader.ReadAsync(middle.Token);
        ValueTask<int> m1 = c.Reader.ReadAsync(middle.Token);
        ValueTask<int> r1 = c.Reader.ReadAsync();

        await head.CancelAsync();
        await middle.CancelAsync();
        foreach (ValueTask<int> canceled in new[] { h0, h1, m0, m1 })
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(canceled));
        }

        Assert.True(c.Writer.TryWrite(1));
        await Eventually.Completes(c.Writer.WriteAsync(2));
        Assert.Equal(1, await Eventually.Completes(r0));
        Assert.Equal(2, await Eventually.Completes(r1));
        // Nobody is parked now: a third item is kept only by a buffer.
        Assert.Equal(!f.IsUnbuffered, c.Writer.TryWrite(3));
        if (!f.IsUnbuffered)
        {
            f.AssertCount(c.Reader, 1);
            Assert.True(c.Reader.TryRead(out int item));
            Assert.Equal(3, item);
        }
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Canceled_parked_writers_in_the_middle_of_the_queue_are_skipped_in_order(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        Fill(c.Writer, f.Capacity);
        using var cts1 = new CancellationTokenSource();
        using var cts3 = new CancellationTokenSource();
        ValueTask w0 = c.Writer.WriteAsync(10);
        ValueTask w1 = c.Writer.WriteAsync(11, cts1.Token);
        ValueTask w2 = c.Writer.WriteAsync(12);
        ValueTask w3 = c.Writer.WriteAsync(13, cts3.Token);
        ValueTask w4 = c.Writer.WriteAsync(14);

        await cts1.CancelAsync();
        await cts3.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(w1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(w3));
        Assert.False(w0.IsCompleted);

        var expected = new List<int>();
        for (int i = 0; i < f.Capacity; i++)
        {
            expected.Add(i);
        }

        expected.AddRange([10, 12, 14]);
        foreach (int e in expected)
        {
            Assert.Equal(e, await Eventually.Completes(c.Reader.ReadAsync()));
        }

        await Eventually.Completes(w0);
        await Eventually.Completes(w2);
        await Eventually.Completes(w4);
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Canceled_WaitTo_callers_are_canceled_and_the_others_still_woken(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<bool> canceledRead = c.Reader.WaitToReadAsync(cts.Token);
        ValueTask<bool> waitToRead = c.Reader.WaitToReadAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(canceledRead));
        Assert.False(waitToRead.IsCompleted);
        ValueTask write = c.Writer.WriteAsync(1);
        Assert.True(await Eventually.Completes(waitToRead));
        Assert.True(c.Reader.TryRead(out _));
        await Eventually.Completes(write);

        Fill(c.Writer, f.Capacity);
        using var cts2 = new CancellationTokenSource();
        ValueTask<bool> canceledWrite = c.Writer.WaitToWriteAsync(cts2.Token);
        ValueTask<bool> waitToWrite = c.Writer.WaitToWriteAsync();
        await cts2.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(canceledWrite));
        Assert.False(waitToWrite.IsCompleted);
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.True(await Eventually.Completes(waitToWrite));
        Assert.True(c.Writer.TryWrite(5));
        Assert.Equal(f.IsUnbuffered ? 5 : 0, await Eventually.Completes(read));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Canceling_after_the_hand_off_changes_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var readCts = new CancellationTokenSource();
        ValueTask<int> read = c.Reader.ReadAsync(readCts.Token);
        Assert.True(c.Writer.TryWrite(5));
        await readCts.CancelAsync();
        Assert.Equal(5, await Eventually.Completes(read));

        Fill(c.Writer, f.Capacity);
        using var writeCts = new CancellationTokenSource();
        ValueTask write = c.Writer.WriteAsync(f.Capacity, writeCts.Token);
        Assert.True(c.Reader.TryRead(out int first));
        await writeCts.CancelAsync();
        await Eventually.Completes(write);
        Assert.Equal(0, first);
        for (int i = 1; i <= f.Capacity; i++)
        {
            Assert.True(c.Reader.TryRead(out int item));
            Assert.Equal(i, item);
        }

        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_canceled_parked_operation_stays_canceled_when_the_channel_completes(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource();
        ValueTask<int> read = c.Reader.ReadAsync(cts.Token);
        await cts.CancelAsync();
        c.Writer.Complete();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(read));
        Assert.True(c.Reader.Completion.IsCompleted);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Parked_operations_with_tokens_that_are_never_canceled_complete_normally(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var cts = new CancellationTokenSource();
        for (int i = 0; i < 1_000; i++)
        {
            ValueTask<int> read = c.Reader.ReadAsync(cts.Token);
            Assert.False(read.IsCompleted);
            Assert.True(c.Writer.TryWrite(i));
            Assert.True(read.IsCompleted, "a parked read is served synchronously by the write");
            Assert.Equal(i, await read);

            Fill(c.Writer, f.Capacity, first: -f.Capacity);
            ValueTask write = c.Writer.WriteAsync(i, cts.Token);
            Assert.False(write.IsCompleted);
            Assert.True(c.Reader.TryRead(out int item));
            Assert.True(write.IsCompleted, "a parked write is let in (or taken) synchronously by the read");
            await write;
            var drained = new List<int> { item };
            while (c.Reader.TryRead(out int next))
            {
                drained.Add(next);
            }

            Assert.Equal(Enumerable.Range(-f.Capacity, f.Capacity).Append(i), drained);
        }

        // Canceling now affects nothing that has already finished.
        await cts.CancelAsync();
        Assert.False(c.Reader.TryRead(out _));
        f.AssertCount(c.Reader, 0);
    }
}
