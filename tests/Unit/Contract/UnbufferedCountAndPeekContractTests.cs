namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Count and TryPeek on an unbuffered channel, ours against the BCL's <c>CreateBounded(0)</c>: the reader can count
/// (always 0: it holds nothing) and can peek, and TryPeek shows the item of the oldest live writer parked in
/// WriteAsync without taking it. A canceled or completed writer's item is never shown.
/// </summary>
public class UnbufferedCountAndPeekContractTests
{
    /// <summary>The unbuffered rows: ours and the reference.</summary>
    public static TheoryData<string> UnbufferedNames => new() { ChannelFactory.Rendezvous.Name, ChannelFactory.Bcl(0).Name };

    [Theory]
    [MemberData(nameof(UnbufferedNames))]
    public void It_counts_nothing_and_peeks_nothing_with_nobody_parked(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        Assert.True(c.Reader.CanCount);
        Assert.True(c.Reader.CanPeek);
        Assert.Equal(0, c.Reader.Count);
        Assert.False(c.Reader.TryPeek(out int item));
        Assert.Equal(0, item);

        // A parked reader offers nothing to peek at.
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.Equal(0, c.Reader.Count);
        Assert.False(c.Reader.TryPeek(out _));
        Assert.True(c.Writer.TryWrite(1));
        Assert.Equal(1, read.GetAwaiter().GetResult());
    }

    [Theory]
    [MemberData(nameof(UnbufferedNames))]
    public async Task TryPeek_shows_the_oldest_parked_writer_s_item_without_taking_it(string channel)
    {
        Channel<string> c = ChannelsUnderTest.Named(channel).Create<string>();
        ValueTask first = c.Writer.WriteAsync("first");
        ValueTask second = c.Writer.WriteAsync("second");

        for (int look = 0; look < 3; look++)
        {
            Assert.True(c.Reader.TryPeek(out string? peeked));
            Assert.Equal("first", peeked);
            // Parked writers' items are not buffered items: the count stays 0, and nobody's write completes.
            Assert.Equal(0, c.Reader.Count);
        }

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        Assert.True(c.Reader.TryRead(out string? read));
        Assert.Equal("first", read);
        await Eventually.Completes(first);
        Assert.True(c.Reader.TryPeek(out string? next));
        Assert.Equal("second", next);
        Assert.False(second.IsCompleted);

        Assert.Equal("second", await Eventually.Completes(c.Reader.ReadAsync()));
        await Eventually.Completes(second);
        Assert.False(c.Reader.TryPeek(out _));
        Assert.Equal(0, c.Reader.Count);
    }

    [Theory]
    [MemberData(nameof(UnbufferedNames))]
    public async Task TryPeek_never_shows_a_canceled_writer_s_item(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        Channel<int> c = f.Create<int>();
        using var alone = new CancellationTokenSource();
        ValueTask canceled = c.Writer.WriteAsync(1, alone.Token);
        alone.Cancel();
        Assert.True(canceled.IsCanceled);
        AssertPeekShowsNothingCanceled(f, c.Reader, expected: null);
        Assert.Equal(0, c.Reader.Count);

        // A canceled writer at the head and one between two live ones: both are passed over.
        using var middle = new CancellationTokenSource();
        using var head = new CancellationTokenSource();
        ValueTask canceledAtHead = c.Writer.WriteAsync(2, head.Token);
        ValueTask live3 = c.Writer.WriteAsync(3);
        ValueTask canceledInMiddle = c.Writer.WriteAsync(4, middle.Token);
        ValueTask live5 = c.Writer.WriteAsync(5);
        head.Cancel();
        middle.Cancel();
        Assert.True(canceledAtHead.IsCanceled);
        Assert.True(canceledInMiddle.IsCanceled);

        AssertPeekShowsNothingCanceled(f, c.Reader, expected: 3);
        Assert.True(c.Reader.TryRead(out int read));
        Assert.Equal(3, read);
        await Eventually.Completes(live3);
        AssertPeekShowsNothingCanceled(f, c.Reader, expected: 5);
        Assert.True(c.Reader.TryRead(out read));
        Assert.Equal(5, read);
        await Eventually.Completes(live5);
        Assert.False(c.Reader.TryRead(out _));
        AssertPeekShowsNothingCanceled(f, c.Reader, expected: null);
    }

    /// <summary>
    /// Peeks with canceled writers parked ahead of (or instead of) <paramref name="expected"/>: the peek must show
    /// what TryRead would take next.
    /// </summary>
    /// <remarks>
    /// A documented difference (ours is the stricter): the BCL's CreateBounded(0) (runtime 10.0.12) keeps a canceled
    /// writer in its queue until a read passes over it, and its TryPeek shows that writer's item (measured: from the
    /// second canceled write on a channel, whose operation object is pooled) although its TryRead never returns it.
    /// So the reference row checks only what its reads deliver.
    /// </remarks>
    private static void AssertPeekShowsNothingCanceled(ChannelFactory f, ChannelReader<int> reader, int? expected)
    {
        if (f.IsReference)
        {
            return;
        }

        Assert.Equal(expected is not null, reader.TryPeek(out int peeked));
        Assert.Equal(expected ?? 0, peeked);
    }

    [Theory]
    [MemberData(nameof(UnbufferedNames))]
    public async Task After_completion_a_parked_writer_s_item_is_gone(string channel)
    {
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        ValueTask parked = c.Writer.WriteAsync(7);
        Assert.True(c.Reader.TryPeek(out int peeked));
        Assert.Equal(7, peeked);

        c.Writer.Complete();
        await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(parked));
        Assert.False(c.Reader.TryPeek(out _));
        Assert.Equal(0, c.Reader.Count);
        Assert.True(c.Reader.Completion.IsCompletedSuccessfully);
    }
}
