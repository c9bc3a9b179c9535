// SelectFairnessTests: Random spreads wins over always-ready clauses; Biased always takes the first ready one.

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>Which ready clause wins when several are ready: counted over many selects, never timed.</summary>
public class SelectFairnessTests
{
    private const int Selects = 10_000;

    private static int[] CountWins(SelectFairness fairness, int clauses)
    {
        var channels = Enumerable.Range(0, clauses).Select(_ => new RingBufferChannel<int>(2)).ToArray();
        var selector = new ChannelSelector(fairness);
        foreach (RingBufferChannel<int> channel in channels)
        {
            selector.AddRead(channel.Reader);
            Assert.True(channel.Writer.TryWrite(0));
        }

        int[] wins = new int[clauses];
        for (int i = 0; i < Selects; i++)
        {
            Assert.True(selector.TrySelect(out SelectResult result));
            wins[result.Index]++;
            // Keep every clause ready: put back the item just taken.
            Assert.True(channels[result.Index].Writer.TryWrite(i));
        }

        return wins;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Random_gives_each_always_ready_clause_a_fair_share(int clauses)
    {
        int[] wins = CountWins(SelectFairness.Random, clauses);
        double fair = Selects / (double)clauses;
        // A fair coin over 10,000 draws stays within a few percent; 20% slack only catches a real bias.
        Assert.All(wins, w => Assert.InRange(w, fair * 0.8, fair * 1.2));
    }

    [Fact]
    public void Biased_always_takes_the_first_ready_clause()
    {
        int[] wins = CountWins(SelectFairness.Biased, 3);
        Assert.Equal([Selects, 0, 0], wins);
    }

    [Fact]
    public async Task Random_is_the_default_and_also_spreads_selects_that_wait()
    {
        var a = new RingBufferChannel<int>(1);
        var b = new RingBufferChannel<int>(1);
        var selector = new ChannelSelector();
        Assert.Equal(SelectFairness.Random, selector.Fairness);
        selector.AddRead(a.Reader);
        selector.AddRead(b.Reader);
        int[] wins = new int[2];
        for (int i = 0; i < 2_000; i++)
        {
            Assert.True(a.Writer.TryWrite(i));
            Assert.True(b.Writer.TryWrite(i));
            wins[(await selector.SelectAsync()).Index]++;
            // Drain what the select left, so both are ready again next time.
            _ = a.Reader.TryRead(out _);
            _ = b.Reader.TryRead(out _);
        }

        Assert.All(wins, w => Assert.InRange(w, 800, 1_200));
    }
}
