using System.Collections.Generic;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Results;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public class RatioComparerTests
{
    private const double Threshold = 0.10;
    private const string Suite = "Rendezvous.Channels.Benchmarks.Workloads.RingSuite";
    private const string Capacity1 = "Capacity=1, Workload=OneToOne";
    private const string Capacity16 = "Capacity=16, Workload=OneToOne";

    [Fact]
    public void A_machine_twice_as_slow_for_everyone_is_no_change()
    {
        MeasuredBenchmark[] before = [Baseline(100), Ours(80)];
        MeasuredBenchmark[] after = [Baseline(200), Ours(160)];

        RatioChange change = Assert.Single(RatioComparer.Compare(before, after, Threshold));

        Assert.Equal(ChangeVerdict.Same, change.Verdict);
        Assert.Equal(0.8, change.RatioAfter!.Value, precision: 10);
        Assert.False(change.IsRegression);
    }

    [Fact]
    public void Ours_slowing_down_while_the_baseline_holds_is_a_regression()
    {
        IReadOnlyList<RatioChange> changes =
            RatioComparer.Compare([Baseline(100), Ours(80)], [Baseline(100), Ours(100)], Threshold);

        RatioChange change = Assert.Single(changes);
        Assert.Equal(ChangeVerdict.Slower, change.Verdict);
        Assert.Equal(0.25, change.Change!.Value, precision: 10);
        Assert.True(change.IsRegression);
    }

    [Fact]
    public void Changes_within_the_threshold_are_the_same_both_ways()
    {
        Assert.Equal(
            ChangeVerdict.Same,
            Assert.Single(RatioComparer.Compare([Baseline(100), Ours(80)], [Baseline(100), Ours(87)], Threshold)).Verdict);
        Assert.Equal(
            ChangeVerdict.Same,
            Assert.Single(RatioComparer.Compare([Baseline(100), Ours(80)], [Baseline(100), Ours(74)], Threshold)).Verdict);
    }

    [Fact]
    public void Ours_speeding_up_beyond_the_threshold_is_faster()
    {
        RatioChange change = Assert.Single(
            RatioComparer.Compare([Baseline(100), Ours(80)], [Baseline(100), Ours(60)], Threshold));

        Assert.Equal(ChangeVerdict.Faster, change.Verdict);
        Assert.False(change.IsRegression);
    }

    [Fact]
    public void A_new_allocation_per_operation_is_a_regression_even_at_the_same_speed()
    {
        RatioChange change = Assert.Single(RatioComparer.Compare(
            [Baseline(100), Ours(80, bytes: 0)], [Baseline(100), Ours(80, bytes: 24)], Threshold));

        Assert.Equal(ChangeVerdict.MoreAllocations, change.Verdict);
        Assert.True(change.IsRegression);
    }

    [Fact]
    public void Reference_rows_are_not_judged_and_groups_are_kept_apart_by_parameters()
    {
        MeasuredBenchmark[] before =
        [
            Baseline(100, Capacity1), Ours(80, parameters: Capacity1), Reference(50, Capacity1),
            Baseline(100, Capacity16), Ours(80, parameters: Capacity16),
        ];
        MeasuredBenchmark[] after =
        [
            Baseline(100, Capacity1), Ours(80, parameters: Capacity1), Reference(500, Capacity1),
            Baseline(50, Capacity16), Ours(80, parameters: Capacity16),
        ];

        IReadOnlyList<RatioChange> changes = RatioComparer.Compare(before, after, Threshold);

        Assert.Collection(
            changes,
            same => Assert.Equal((ChangeVerdict.Same, Capacity1), (same.Verdict, same.Parameters)),
            slower => Assert.Equal((ChangeVerdict.Slower, Capacity16), (slower.Verdict, slower.Parameters)));
    }

    [Fact]
    public void Benchmarks_in_one_report_only_are_listed_but_never_regressions()
    {
        IReadOnlyList<RatioChange> changes = RatioComparer.Compare(
            [Baseline(100, Capacity1), Ours(80, parameters: Capacity1)],
            [Baseline(100, Capacity16), Ours(80, parameters: Capacity16)],
            Threshold);

        Assert.Collection(
            changes,
            gone => Assert.Equal(ChangeVerdict.OnlyInBaseline, gone.Verdict),
            added => Assert.Equal(ChangeVerdict.OnlyInNew, added.Verdict));
        Assert.DoesNotContain(changes, change => change.IsRegression);
    }

    [Fact]
    public void A_group_whose_baseline_failed_has_no_ratio()
    {
        Assert.Equal(
            ChangeVerdict.OnlyInBaseline,
            Assert.Single(RatioComparer.Compare([Baseline(100), Ours(80)], [Ours(80)], Threshold)).Verdict);
    }

    private static MeasuredBenchmark Baseline(double nanoseconds, string parameters = Capacity16) =>
        new(Suite, "BclBounded", parameters, BenchmarkRole.Baseline, nanoseconds, 60, 0.01);

    private static MeasuredBenchmark Ours(double nanoseconds, double bytes = 0, string parameters = Capacity16) =>
        new(Suite, "Ours", parameters, BenchmarkRole.Ours, nanoseconds, bytes, 0);

    private static MeasuredBenchmark Reference(double nanoseconds, string parameters = Capacity16) =>
        new(Suite, "BclUnbounded", parameters, BenchmarkRole.Reference, nanoseconds, 8, 0);
}
