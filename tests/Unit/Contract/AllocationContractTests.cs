using static Rendezvous.Channels.Tests.Unit.ChannelWorkloads;

namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Our channels allocate nothing in steady state (pooled waiters, no closures, no boxed continuations): under one
/// byte per item over a long run after a warm-up on the same channel, for the common read and write patterns,
/// including a capacity-1 ring where readers and writers park and wake on every item.
/// </summary>
[Collection(AllocationCollection.Name)]
public class AllocationContractTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task WriteAsync_ReadAsync_stream_allocates_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        await AllocationMeter.AssertAllocationFree(
            $"WriteAsync/ReadAsync, {channel}",
            n => Task.WhenAll(WriteAsyncEach(c.Writer, n), ReadAsyncEach(c.Reader, n)),
            output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task WriteAsync_ReadAsync_stream_with_cancelable_tokens_allocates_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            $"WriteAsync/ReadAsync with a cancelable token, {channel}",
            n => Task.WhenAll(WriteAsyncEach(c.Writer, n, cts.Token), ReadAsyncEach(c.Reader, n, cts.Token)),
            output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task WriteAsync_and_WaitToReadAsync_TryRead_loops_allocate_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            $"WriteAsync / WaitToReadAsync+TryRead, {channel}",
            n => Task.WhenAll(WriteAsyncEach(c.Writer, n), TryReadEach(c.Reader, n, cts.Token)),
            output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task TryWrite_WaitToWriteAsync_and_ReadAsync_loops_allocate_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree(
            $"TryWrite+WaitToWriteAsync / ReadAsync, {channel}",
            n => Task.WhenAll(TryWriteEach(c.Writer, n, cts.Token), ReadAsyncEach(c.Reader, n)),
            output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task ReadAllAsync_allocates_nothing_per_item(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        await AllocationMeter.AssertAllocationFree(
            $"WriteAsync / ReadAllAsync, {channel}",
            n => Task.WhenAll(WriteAsyncEach(c.Writer, n), ReadAllEach(c.Reader, n)),
            output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Two_writers_and_two_readers_parking_allocate_nothing(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree($"2 writers x 2 readers, WriteAsync/ReadAsync, {channel}", n =>
        {
            int half = n / 2;
            Task Writer(CancellationToken token) => Task.Run(async () =>
            {
                for (int i = 0; i < half; i++)
                {
                    await c.Writer.WriteAsync(i, token);
                }
            }, CancellationToken.None);
            Task Reader(CancellationToken token) => Task.Run(async () =>
            {
                for (int i = 0; i < half; i++)
                {
                    _ = await c.Reader.ReadAsync(token);
                }
            }, CancellationToken.None);
            return Task.WhenAll(Writer(default), Writer(cts.Token), Reader(default), Reader(cts.Token));
        }, output);
        Assert.False(c.Reader.TryRead(out _));
    }

    [Fact]
    public async Task The_measurement_detects_an_allocating_workload()
    {
        // Guards the meter itself: the same harness must see a workload that allocates a little per item.
        object?[] sink = new object?[1];
        double bytesPerItem = await AllocationMeter.BytesPerOperation(n =>
        {
            for (int i = 0; i < n; i++)
            {
                sink[0] = new object();
            }

            return Task.CompletedTask;
        });
        output.WriteLine($"allocating workload: {bytesPerItem:F2} bytes/item");
        Assert.True(bytesPerItem >= 16, $"the meter saw only {bytesPerItem} bytes per allocation");
        Assert.NotNull(sink[0]);
    }
}
