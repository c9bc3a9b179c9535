namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Misuse of the returned ValueTasks, on every channel: awaiting one twice, using one after its result was taken
/// (a stale token, whose pooled waiter may already serve a later operation), or reading the result of one still
/// pending throws InvalidOperationException and never disturbs the legitimate awaiter.
/// </summary>
public class MisuseContractTests
{
    /// <summary>A parked read, a parked write (on a full channel) and a parked WaitToReadAsync, and how to end each.</summary>
    private static (ValueTask<int> Read, ValueTask Write, ValueTask<bool> WaitToRead) ParkOneOfEach(ChannelFactory f, Channel<int> reads, Channel<int> writes)
    {
        Fill(writes.Writer, f.Capacity);
        ValueTask<int> read = reads.Reader.ReadAsync();
        ValueTask<bool> waitToRead = reads.Reader.WaitToReadAsync();
        ValueTask write = writes.Writer.WriteAsync(-1);
        Assert.False(read.IsCompleted);
        Assert.False(waitToRead.IsCompleted);
        Assert.False(write.IsCompleted);
        return (read, write, waitToRead);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_rejected_second_await_of_a_parked_operation_does_not_hijack_the_first(string channel)
    {
        // A refused second await must leave the first awaiter's continuation alone: if it overwrote the
        // continuation's state, the refused Task would complete in its place (a read's item lost to the program)
        // and the legitimate awaiter would hang.
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> reads = f.Create<int>(), writes = f.Create<int>();
        (ValueTask<int> read, ValueTask write, ValueTask<bool> waitToRead) = ParkOneOfEach(f, reads, writes);
        Task<int> firstRead = read.AsTask();
        Task firstWrite = write.AsTask();
        Task<bool> firstWait = waitToRead.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => { _ = write.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => { _ = waitToRead.AsTask(); });

        // The item goes to the read, which the WaitToReadAsync parked behind it does not see: a second write wakes it.
        Assert.True(reads.Writer.TryWrite(1));
        Assert.Equal(1, await Eventually.Completes(firstRead, "the first awaiter of the read"));
        ValueTask second = reads.Writer.WriteAsync(2);
        Assert.True(await Eventually.Completes(firstWait, "the first awaiter of WaitToReadAsync"));
        Assert.True(reads.Reader.TryRead(out int item));
        Assert.Equal(2, item);
        await Eventually.Completes(second);

        Assert.True(writes.Reader.TryRead(out int taken));
        await Eventually.Completes(firstWrite, "the first awaiter of the write");
        var rest = new List<int> { taken };
        while (writes.Reader.TryRead(out int next))
        {
            rest.Add(next);
        }

        Assert.Equal(-1, rest[^1]);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Awaiting_a_parked_operation_twice_throws_InvalidOperationException_and_so_does_reusing_it(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> read = c.Reader.ReadAsync();
        Task<int> first = read.AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
        Assert.True(c.Writer.TryWrite(1));
        Assert.Equal(1, await Eventually.Completes(first));
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().GetResult());
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Using_a_consumed_ValueTask_again_throws_InvalidOperationException(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> reads = f.Create<int>(), writes = f.Create<int>();
        (ValueTask<int> read, ValueTask write, ValueTask<bool> waitToRead) = ParkOneOfEach(f, reads, writes);
        Assert.True(reads.Writer.TryWrite(1));
        Assert.Equal(1, await Eventually.Completes(read));
        ValueTask second = reads.Writer.WriteAsync(2);
        Assert.True(await Eventually.Completes(waitToRead));
        Assert.True(writes.Reader.TryRead(out _));
        await Eventually.Completes(write);

        Assert.Throws<InvalidOperationException>(() => { _ = read.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => read.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => read.Result);
        Assert.Throws<InvalidOperationException>(() => { _ = write.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => write.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => write.GetAwaiter().GetResult());
        Assert.Throws<InvalidOperationException>(() => { _ = waitToRead.AsTask(); });
        Assert.Throws<InvalidOperationException>(() => waitToRead.Result);

        Assert.True(reads.Reader.TryRead(out _));
        await Eventually.Completes(second);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public void Reading_the_result_of_a_pending_operation_throws_InvalidOperationException(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> reads = f.Create<int>(), writes = f.Create<int>();
        (ValueTask<int> read, ValueTask write, ValueTask<bool> waitToRead) = ParkOneOfEach(f, reads, writes);
        Assert.Throws<InvalidOperationException>(() => read.Result);
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().GetResult());
        Assert.Throws<InvalidOperationException>(() => write.GetAwaiter().GetResult());
        Assert.Throws<InvalidOperationException>(() => waitToRead.Result);
        reads.Writer.Complete();
        writes.Writer.Complete();
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_stale_ValueTask_does_not_see_the_reused_waiter_of_a_later_operation(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        ValueTask<int> stale = c.Reader.ReadAsync();
        Assert.True(c.Writer.TryWrite(1));
        Assert.Equal(1, await Eventually.Completes(stale));

        // The waiter behind `stale` is pooled and may now serve this read; the stale ValueTask must not alias it.
        ValueTask<int> fresh = c.Reader.ReadAsync();
        Assert.False(fresh.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => stale.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => { _ = stale.AsTask(); });
        Assert.True(c.Writer.TryWrite(2));
        Assert.Equal(2, await Eventually.Completes(fresh));

        // The same for a write.
        Fill(c.Writer, f.Capacity);
        ValueTask staleWrite = c.Writer.WriteAsync(3);
        Assert.True(c.Reader.TryRead(out _));
        await Eventually.Completes(staleWrite);
        ValueTask reused = c.Writer.WriteAsync(4);
        Assert.Throws<InvalidOperationException>(() => staleWrite.GetAwaiter().GetResult());
        var rest = new List<int>();
        while (c.Reader.TryRead(out int item))
        {
            rest.Add(item);
        }

        Assert.Equal(4, rest[^1]);
        await Eventually.Completes(reused);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public void Awaiting_again_while_the_first_continuation_waits_to_run_throws_InvalidOperationException(string channel)
    {
        // The first continuation is published and handed to a SynchronizationContext that holds it, so it is
        // scheduled but has not run: a second await must be refused, not scheduled a second time.
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        var held = new HoldingSynchronizationContext();
        SynchronizationContext? previous = SynchronizationContext.Current;
        ValueTask<int> read = c.Reader.ReadAsync();
        int result = 0;
        SynchronizationContext.SetSynchronizationContext(held);
        try
        {
            read.GetAwaiter().OnCompleted(() => result = read.GetAwaiter().GetResult());
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.True(c.Writer.TryWrite(5));
        Assert.Equal(1, held.Count);
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().OnCompleted(() => { }));
        held.RunAll();
        Assert.Equal(5, result);
    }

    /// <summary>Keeps every posted callback until <see cref="RunAll"/>: scheduled, not yet run.</summary>
    private sealed class HoldingSynchronizationContext : SynchronizationContext
    {
        private readonly List<(SendOrPostCallback Callback, object? State)> _posted = [];

        public int Count => _posted.Count;

        public override void Post(SendOrPostCallback d, object? state) => _posted.Add((d, state));

        public void RunAll()
        {
            foreach ((SendOrPostCallback callback, object? state) in _posted)
            {
                callback(state);
            }
        }
    }
}
