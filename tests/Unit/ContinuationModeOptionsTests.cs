namespace Rendezvous.Channels.Tests.Unit;

/// <summary>The per-channel options: validated where they are set, copied by the channel, ThreadPool by default.</summary>
public class ContinuationModeOptionsTests
{
    [Fact]
    public void The_default_mode_is_the_thread_pool()
    {
        Assert.Equal(ContinuationMode.ThreadPool, new RendezvousChannelOptions().ContinuationMode);
        Assert.Equal(ContinuationMode.ThreadPool, new RingBufferChannelOptions(4).ContinuationMode);
    }

    [Fact]
    public void An_undefined_mode_is_refused_where_it_is_set()
    {
        var options = new RendezvousChannelOptions();
        ArgumentOutOfRangeException refused = Assert.Throws<ArgumentOutOfRangeException>(() => options.ContinuationMode = (ContinuationMode)7);
        Assert.Equal("value", refused.ParamName);
        Assert.Equal(ContinuationMode.ThreadPool, options.ContinuationMode);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingBufferChannelOptions(1) { ContinuationMode = (ContinuationMode)(-1) });
    }

    [Fact]
    public void Null_options_are_refused()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new RendezvousChannel<int>((RendezvousChannelOptions)null!)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new RingBufferChannel<int>((RingBufferChannelOptions)null!)).ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((1 << 30) + 1)]
    public void Ring_options_validate_the_capacity_as_the_constructor_does(int capacity)
    {
        ArgumentOutOfRangeException fromOptions = Assert.Throws<ArgumentOutOfRangeException>(() => new RingBufferChannelOptions(capacity));
        ArgumentOutOfRangeException fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => new RingBufferChannel<int>(capacity));
        Assert.Equal(fromConstructor.Message, fromOptions.Message);
    }

    [Fact]
    public async Task A_channel_made_from_options_works_in_both_modes()
    {
        foreach (ContinuationMode mode in new[] { ContinuationMode.ThreadPool, ContinuationMode.Chained })
        {
            var ring = new RingBufferChannel<int>(new RingBufferChannelOptions(2) { ContinuationMode = mode });
            Assert.Equal(2, ring.Capacity);
            var rendezvous = new RendezvousChannel<int>(new RendezvousChannelOptions { ContinuationMode = mode });
            ValueTask<int> read = rendezvous.Reader.ReadAsync();
            await rendezvous.Writer.WriteAsync(5);
            Assert.Equal(5, await Eventually.Completes(read));
            Assert.True(ring.Writer.TryWrite(6));
            Assert.Equal(6, await Eventually.Completes(ring.Reader.ReadAsync()));
        }
    }
}
