using Rendezvous.Channels.Benchmarks.Rounds;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public class RoundsResultTests
{
    [Fact]
    public void The_ratio_is_taken_within_each_round_then_its_median_across_rounds()
    {
        // Round 2 ran on a machine twice as slow for both sides: its ratio is as good as the others'.
        var result = new RoundsResult("w", ours: [50, 100, 60], baseline: [100, 200, 100]);

        Assert.Equal([0.5, 0.5, 0.6], result.Ratios);
        Assert.Equal(0.5, result.RatioMedian, precision: 10);
        Assert.Equal(60, result.OursMedian, precision: 10);
        Assert.Equal(100, result.BaselineMedian, precision: 10);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two_and_quartiles_interpolate()
    {
        double[] values = [4, 1, 3, 2];

        Assert.Equal(2.5, RoundsResult.Median(values), precision: 10);
        Assert.Equal(1.75, RoundsResult.Percentile(values, 0.25), precision: 10);
        Assert.Equal(3.25, RoundsResult.Percentile(values, 0.75), precision: 10);
        Assert.Equal(1, RoundsResult.Percentile(values, 0), precision: 10);
        Assert.Equal(4, RoundsResult.Percentile(values, 1), precision: 10);
    }

    [Fact]
    public void No_rounds_give_no_figures_rather_than_a_crash()
    {
        Assert.True(double.IsNaN(RoundsResult.Median([])));
    }
}
