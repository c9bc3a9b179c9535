using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;
using static Rendezvous.Channels.Tests.Unit.RingBufferTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; cancellation (issue 3), deterministic cases: an already-canceled token fails at once and
/// changes nothing; a canceled parked write enqueues nothing; a canceled parked read takes nothing; canceled waiters
/// in the middle of the parked queue are skipped without disturbing the order of the others. Contract tests also run
/// against <c>Channel.CreateBounded</c>. The races are in <see cref="RingBufferChannelStressTests"/>.
/// </summary>
public class RingBufferChannelCancellationTests
{
    private static CancellationTokenSource Canceled()
    {
        var cts = new CancellationTokenSource();
        cts.Cancel();
        return cts;
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task An_already_canceled_token_fails_every_operation_at_once_and_changes_nothing(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        using CancellationTokenSource cts = Canceled();

        // Empty channel: ReadAsync and WaitToReadAsync would park; WriteAsync and WaitToWriteAsync could proceed.
        ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
        ValueTask<bool> waitToRead = channel.Reader.WaitToReadAsync(cts.Token);
        ValueTask write = channel.Writer.WriteAsync(1, cts.Token);
        ValueTask<bool> waitToWrite = channel.Writer.WaitToWriteAsync(cts.Token);
        Assert.True(read.IsCanceled);
        Assert.True(waitToRead.IsCanceled);
        Assert.True(write.IsCanceled);
        Assert.True(waitToWrite.IsCanceled);
        Assert.Equal(cts.Token, (await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.AsTask())).CancellationToken);
        Assert.Equal(0, channel.Reader.Count);
        Assert.False(channel.Reader.TryRead(out _));

        // Full channel: now reads could proceed and writes would park.
        Fill(channel.Writer, 2);
        Assert.True(channel.Reader.ReadAsync(cts.Token).IsCanceled);
        Assert.True(channel.Reader.WaitToReadAsync(cts.Token).IsCanceled);
        Assert.True(channel.Writer.WriteAsync(9, cts.Token).IsCanceled);
        Assert.True(channel.Writer.WaitToWriteAsync(cts.Token).IsCanceled);
        Assert.Equal(2, channel.Reader.Count);

        // Nothing was taken, nothing was added, nothing is parked.
        Assert.Equal(0, await channel.Reader.ReadAsync().WithTimeout());
        Assert.Equal(1, await channel.Reader.ReadAsync().WithTimeout());
        Assert.False(channel.Reader.TryRead(out _));
        Assert.True(channel.Writer.TryWrite(3));
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(3, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_canceled_parked_write_enqueues_nothing(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        Fill(channel.Writer, 1);
        using var cts = new CancellationTokenSource();
        ValueTask write = channel.Writer.WriteAsync(1, cts.Token);
        Assert.False(write.IsCompleted);

        await cts.CancelAsync();
        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WithTimeout("canceled write"));
        Assert.Equal(cts.Token, ex.CancellationToken);

        Assert.Equal(1, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(0, item);
        Assert.False(channel.Reader.TryRead(out _));
        Assert.Equal(0, channel.Reader.Count);
        // The canceled writer does not hold the room it was waiting for.
        Assert.True(channel.Writer.TryWrite(2));
        Assert.True(channel.Reader.TryRead(out item));
        Assert.Equal(2, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_canceled_parked_read_takes_nothing(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        using var cts = new CancellationTokenSource();
        ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
        Assert.False(read.IsCompleted);

        await cts.CancelAsync();
        OperationCanceledException ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WithTimeout("canceled read"));
        Assert.Equal(cts.Token, ex.CancellationToken);

        Assert.True(channel.Writer.TryWrite(7));
        Assert.Equal(1, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(7, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Canceled_parked_writers_in_the_middle_of_the_queue_are_skipped_in_order(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        Fill(channel.Writer, 2);
        using var cts1 = new CancellationTokenSource();
        using var cts3 = new CancellationTokenSource();
        ValueTask w0 = channel.Writer.WriteAsync(10);
        ValueTask w1 = channel.Writer.WriteAsync(11, cts1.Token);
        ValueTask w2 = channel.Writer.WriteAsync(12);
        ValueTask w3 = channel.Writer.WriteAsync(13, cts3.Token);
        ValueTask w4 = channel.Writer.WriteAsync(14);

        await cts1.CancelAsync();
        await cts3.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w1.WithTimeout("w1"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => w3.WithTimeout("w3"));
        Assert.False(w0.IsCompleted);

        int[] expected = [0, 1, 10, 12, 14];
        foreach (int e in expected)
        {
            Assert.Equal(e, await channel.Reader.ReadAsync().WithTimeout("read"));
        }

        await w0.WithTimeout("w0");
        await w2.WithTimeout("w2");
        await w4.WithTimeout("w4");
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Canceled_parked_readers_in_the_middle_of_the_queue_are_skipped_in_order(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 2);
        using var cts1 = new CancellationTokenSource();
        using var cts2 = new CancellationTokenSource();
        ValueTask<int> r0 = channel.Reader.ReadAsync();
        ValueTask<int> r1 = channel.Reader.ReadAsync(cts1.Token);
        ValueTask<int> r2 = channel.Reader.ReadAsync(cts2.Token);
        ValueTask<int> r3 = channel.Reader.ReadAsync();

        await cts1.CancelAsync();
        await cts2.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => r1.WithTimeout("r1"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => r2.WithTimeout("r2"));

        Assert.True(channel.Writer.TryWrite(1));
        await channel.Writer.WriteAsync(2).WithTimeout("write");
        Assert.True(channel.Writer.TryWrite(3));
        Assert.Equal(1, await r0.WithTimeout("r0"));
        Assert.Equal(2, await r3.WithTimeout("r3"));
        // The third item was for nobody parked: it stays in the channel.
        Assert.Equal(1, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out int item));
        Assert.Equal(3, item);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Canceled_WaitTo_callers_are_canceled_and_the_others_still_woken(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        using var cts = new CancellationTokenSource();
        ValueTask<bool> canceledRead = channel.Reader.WaitToReadAsync(cts.Token);
        ValueTask<bool> read = channel.Reader.WaitToReadAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceledRead.WithTimeout("canceled WaitToReadAsync"));
        Assert.False(read.IsCompleted);
        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(await read.WithTimeout("WaitToReadAsync"));

        using var cts2 = new CancellationTokenSource();
        ValueTask<bool> canceledWrite = channel.Writer.WaitToWriteAsync(cts2.Token);
        ValueTask<bool> write = channel.Writer.WaitToWriteAsync();
        await cts2.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceledWrite.WithTimeout("canceled WaitToWriteAsync"));
        Assert.False(write.IsCompleted);
        Assert.True(channel.Reader.TryRead(out _));
        Assert.True(await write.WithTimeout("WaitToWriteAsync"));
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task Canceling_after_the_hand_off_changes_nothing(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        using var readCts = new CancellationTokenSource();
        ValueTask<int> read = channel.Reader.ReadAsync(readCts.Token);
        Assert.True(channel.Writer.TryWrite(5));
        await readCts.CancelAsync();
        Assert.Equal(5, await read.WithTimeout("read"));

        Fill(channel.Writer, 1);
        using var writeCts = new CancellationTokenSource();
        ValueTask write = channel.Writer.WriteAsync(6, writeCts.Token);
        Assert.True(channel.Reader.TryRead(out int first));
        await writeCts.CancelAsync();
        await write.WithTimeout("write");
        Assert.Equal(0, first);
        Assert.True(channel.Reader.TryRead(out int second));
        Assert.Equal(6, second);
    }

    [Theory]
    [MemberData(nameof(Implementations), MemberType = typeof(RingBufferTestSupport))]
    public async Task A_canceled_parked_operation_stays_canceled_when_the_channel_completes(string implementation)
    {
        Channel<int> channel = Create<int>(implementation, 1);
        using var cts = new CancellationTokenSource();
        ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
        await cts.CancelAsync();
        channel.Writer.Complete();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WithTimeout("read"));
        Assert.True(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task Parked_operations_with_cancelable_tokens_that_are_never_canceled_complete_normally()
    {
        var channel = new RingBufferChannel<int>(1);
        using var cts = new CancellationTokenSource();
        for (int i = 0; i < 1_000; i++)
        {
            ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
            Assert.False(read.IsCompleted);
            Assert.True(channel.Writer.TryWrite(i));
            Assert.True(read.IsCompleted, "a parked read is served synchronously by the write");
            Assert.Equal(i, await read);

            Assert.True(channel.Writer.TryWrite(-i));
            ValueTask write = channel.Writer.WriteAsync(i, cts.Token);
            Assert.False(write.IsCompleted);
            Assert.True(channel.Reader.TryRead(out int item));
            Assert.Equal(-i, item);
            Assert.True(write.IsCompleted, "a parked write is let in synchronously by the read");
            await write;
            Assert.True(channel.Reader.TryRead(out item));
            Assert.Equal(i, item);
        }

        // Canceling now affects nothing that has already finished.
        await cts.CancelAsync();
        Assert.Equal(0, channel.Reader.Count);
        Assert.True(channel.Writer.TryWrite(1));
    }
}
