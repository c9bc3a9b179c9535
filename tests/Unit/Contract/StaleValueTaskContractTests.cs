namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// A consumed ValueTask stays refused however many operations later, on any channel: awaiting it again throws
/// InvalidOperationException, never observes or takes another channel's operation, and leaves the legitimate
/// reader of that operation unaffected. Pooled waiters hand out 16-bit tokens, so a waiter reused 65,536 times hands
/// out a consumed token again: waiters must never migrate between channels. (Within one channel, refusal lasts as
/// long as the token space: 65,535 later uses of the same waiter. The BCL's bounded channel, which pools too,
/// does no better on its own channel.)
/// </summary>
public class StaleValueTaskContractTests
{
    /// <summary>The number of operations after which a 16-bit token comes round again.</summary>
    private const int TokenSpace = 1 << 16;

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.AllNames), MemberType = typeof(ChannelsUnderTest))]
    public void A_consumed_ValueTask_awaited_after_65536_operations_on_another_channel_is_refused(string channel)
    {
        // Everything runs synchronously on this thread, so that a per-thread cache of idle waiters would serve
        // channel A's consumed waiter to every one of B's reads.
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> a = f.Create<int>(), b = f.Create<int>();
        ValueTask<int> stale = ConsumedRead(a, -1);
        for (int i = 0; i < TokenSpace; i++)
        {
            ValueTask<int> read = b.Reader.ReadAsync();
            Assert.True(b.Writer.TryWrite(i));
            if (i >= TokenSpace - 2)
            {
                // The last operations are where a token shared with A's consumed one would come round again.
                Assert.Throws<InvalidOperationException>(() => stale.GetAwaiter().GetResult());
            }

            Assert.Equal(i, read.GetAwaiter().GetResult());
        }
    }

    /// <summary>A read of <paramref name="c"/> that parked, was served <paramref name="item"/>, and whose result was taken.</summary>
    private static ValueTask<int> ConsumedRead(Channel<int> c, int item)
    {
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.False(read.IsCompleted);
        Assert.True(c.Writer.TryWrite(item));
        Assert.Equal(item, read.GetAwaiter().GetResult());
        return read;
    }
}
