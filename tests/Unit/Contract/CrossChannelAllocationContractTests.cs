using static Rendezvous.Channels.Tests.Unit.ChannelWorkloads;

namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Pooled waiters never migrate between channels (so that a stale ValueTask cannot reach another channel's
/// operation), yet a thread that alternates between two channels of the same item type still allocates nothing in
/// steady state: each channel keeps its own idle waiters.
/// </summary>
[Collection(AllocationCollection.Name)]
public class CrossChannelAllocationContractTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task One_thread_ping_ponging_between_two_channels_allocates_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> a = f.Create<int>(), b = f.Create<int>();
        await AllocationMeter.AssertAllocationFree($"one thread, parked reads alternating between two channels, {channel}", n =>
        {
            // Synchronous on the calling thread: every read parks (its channel is empty), is served by TryWrite, and
            // its waiter goes back to the pool on this same thread, next to the other channel's.
            for (int i = 0; i < n; i++)
            {
                Channel<int> c = (i & 1) == 0 ? a : b;
                ValueTask<int> read = c.Reader.ReadAsync();
                if (read.IsCompleted || !c.Writer.TryWrite(i) || read.GetAwaiter().GetResult() != i)
                {
                    throw new InvalidOperationException($"read {i} did not park and get its item");
                }
            }

            return Task.CompletedTask;
        }, output);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.MeasuredNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Streams_through_two_channels_at_once_allocate_nothing(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> a = f.Create<int>(), b = f.Create<int>();
        await AllocationMeter.AssertAllocationFree($"WriteAsync/ReadAsync streams on two channels at once, {channel}", n =>
        {
            int half = n / 2;
            return Task.WhenAll(
                WriteAsyncEach(a.Writer, half), ReadAsyncEach(a.Reader, half),
                WriteAsyncEach(b.Writer, half), ReadAsyncEach(b.Reader, half));
        }, output);
    }
}
