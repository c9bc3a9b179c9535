using System;
using System.Collections.Generic;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Results;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>
/// The regression check on measurements with their spread (synthetic: means, standard errors and sample counts as
/// the JSON export carries them): a ratio that moved beyond the threshold counts only when the two runs'
/// confidence intervals are apart, so run-to-run noise does not cry wolf while a real slowdown is still caught.
/// </summary>
public class NoisyRegressionTests
{
    private const string Suite = "Rendezvous.Channels.Benchmarks.Workloads.RendezvousSuite";
    private const string OneToOne = "Workload=OneToOne";
    private const double Threshold = DiffCommand.DefaultThreshold;

    [Fact]
    public void The_same_code_measured_twice_on_a_noisy_machine_is_no_regression()
    {
        // Unchanged code: ours moved from 80 to 100 ns (+25%) between two 3-launch runs, with the spread such runs
        // show on a loaded machine (a relative standard error of 6-8% over 15 iterations).
        MeasuredBenchmark[] first = [Baseline(100, relativeError: 0.05), Ours(80, relativeError: 0.08)];
        MeasuredBenchmark[] second = [Baseline(100, relativeError: 0.06), Ours(100, relativeError: 0.07)];

        RatioChange change = Assert.Single(RatioComparer.Compare(first, second, Threshold));

        Assert.Equal(ChangeVerdict.Inconclusive, change.Verdict);
        Assert.False(change.IsRegression);
        Assert.True(change.IntervalAfter!.Value.Lower < change.IntervalBefore!.Value.Upper, "the intervals overlap");
    }

    [Fact]
    public void A_thirty_percent_slowdown_with_ordinary_spread_is_a_regression()
    {
        MeasuredBenchmark[] before = [Baseline(100, relativeError: 0.02), Ours(80, relativeError: 0.02)];
        MeasuredBenchmark[] slowed = [Baseline(100, relativeError: 0.02), Ours(104, relativeError: 0.02)];

        RatioChange change = Assert.Single(RatioComparer.Compare(before, slowed, Threshold));

        Assert.Equal(ChangeVerdict.Slower, change.Verdict);
        Assert.True(change.IsRegression);
        Assert.Equal(0.30, change.Change!.Value, precision: 10);
    }

    [Fact]
    public void A_change_below_the_threshold_is_the_same_however_tight_the_intervals()
    {
        MeasuredBenchmark[] before = [Baseline(100, relativeError: 0.001), Ours(80, relativeError: 0.001)];
        MeasuredBenchmark[] after = [Baseline(100, relativeError: 0.001), Ours(88, relativeError: 0.001)];

        Assert.Equal(ChangeVerdict.Same, Assert.Single(RatioComparer.Compare(before, after, Threshold)).Verdict);
    }

    [Fact]
    public void A_speed_up_needs_its_intervals_apart_too()
    {
        MeasuredBenchmark[] before = [Baseline(100, relativeError: 0.02), Ours(80, relativeError: 0.02)];
        Assert.Equal(
            ChangeVerdict.Faster,
            Assert.Single(RatioComparer.Compare(before, [Baseline(100, relativeError: 0.02), Ours(60, relativeError: 0.02)], Threshold)).Verdict);
        Assert.Equal(
            ChangeVerdict.Inconclusive,
            Assert.Single(RatioComparer.Compare(before, [Baseline(100, relativeError: 0.1), Ours(60, relativeError: 0.1)], Threshold)).Verdict);
    }

    [Fact]
    public void A_noisy_baseline_side_widens_the_ratio_interval_as_much_as_a_noisy_ours()
    {
        var pair = new BaselinePair(Ours(80, relativeError: 0.01), Baseline(100, relativeError: 0.08));
        var mirrored = new BaselinePair(Ours(80, relativeError: 0.08), Baseline(100, relativeError: 0.01));

        (double lower, double upper) = pair.RatioInterval(0.99)!.Value;
        Assert.True(lower < 0.8 && upper > 0.8);
        Assert.Equal(Math.Log(upper / lower), Math.Log(mirrored.RatioInterval(0.99)!.Value.Upper / mirrored.RatioInterval(0.99)!.Value.Lower), precision: 10);
        // Delta method: half-width t(14, 99%) * sqrt(0.01^2 + 0.08^2) in log space.
        Assert.Equal(2.977 * Math.Sqrt((0.01 * 0.01) + (0.08 * 0.08)), Math.Log(upper / 0.8), precision: 3);
    }

    [Fact]
    public void Without_standard_errors_the_threshold_alone_decides()
    {
        IReadOnlyList<RatioChange> changes = RatioComparer.Compare(
            [Baseline(100, relativeError: null), Ours(80, relativeError: null)],
            [Baseline(100, relativeError: null), Ours(100, relativeError: null)],
            Threshold);

        RatioChange change = Assert.Single(changes);
        Assert.Equal(ChangeVerdict.Slower, change.Verdict);
        Assert.Null(change.IntervalBefore);
    }

    [Theory]
    [InlineData(0.99, 2, 9.925)]
    [InlineData(0.99, 4, 4.604)]
    [InlineData(0.99, 14, 2.977)]
    [InlineData(0.95, 4, 2.776)]
    [InlineData(0.95, 1, 12.706)]
    [InlineData(0.95, 1000, 1.962)]
    public void Student_t_quantiles_match_the_tables(double confidence, int degreesOfFreedom, double tabulated) =>
        Assert.Equal(tabulated, StudentT.Quantile(confidence, degreesOfFreedom), tabulated * 0.003);

    private static MeasuredBenchmark Baseline(double nanoseconds, double? relativeError) =>
        new(Suite, "BclBounded", OneToOne, BenchmarkRole.Baseline, nanoseconds, 0, null, nanoseconds * relativeError, relativeError is null ? null : 15);

    private static MeasuredBenchmark Ours(double nanoseconds, double? relativeError) =>
        new(Suite, "Ours", OneToOne, BenchmarkRole.Ours, nanoseconds, 0, null, nanoseconds * relativeError, relativeError is null ? null : 15);
}
