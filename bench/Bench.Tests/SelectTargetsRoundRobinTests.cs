using System.IO;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The round-robin reference row (the select rows' workload without a select): shown per case and Mode, never judged.</summary>
public class SelectTargetsRoundRobinTests
{
    private static readonly string s_suite = typeof(SelectSuite).FullName!;
    private const string ThreadPool = "Kind=Ring1024, Mode=ThreadPool, Producers=2";
    private const string Chained = "Kind=Ring1024, Mode=Chained, Producers=2";

    [Fact]
    public void Each_select_row_is_shown_against_the_round_robin_row_of_its_own_Mode_without_changing_the_verdict()
    {
        MeasuredBenchmark[] run =
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, ThreadPool, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, ThreadPool, 100),
            Row(nameof(SelectSuite.RoundRobin), BenchmarkRole.Reference, ThreadPool, 160),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, ThreadPool, 200),
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, Chained, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, Chained, 40),
            Row(nameof(SelectSuite.RoundRobin), BenchmarkRole.Reference, Chained, 50),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, Chained, 46),
        ];

        var rows = SelectTargets.Evaluate(BaselinePair.PairAll(run));
        Assert.Equal(2, rows.Count);
        Assert.Equal(1.25, rows[0].TimesRoundRobin!.Value, precision: 10);
        Assert.False(rows[0].MeetsPlainReadAsyncTarget);
        Assert.Equal(0.92, rows[1].TimesRoundRobin!.Value, precision: 10);
        Assert.True(rows[1].MeetsPlainReadAsyncTarget);

        var output = new StringWriter();
        SelectTargets.Write(BaselinePair.PairAll(run), output);
        Assert.Contains(
            $"SelectSuite {ThreadPool}: Selector 200.0 ns/item = 2.00x plain ReadAsync (MISSED) (1.25x round-robin ReadAsync, the same workload without a select), 0.20x the workaround (met), 0 B/item (met)",
            output.ToString(),
            System.StringComparison.Ordinal);
        Assert.Contains(
            $"SelectSuite {Chained}: Selector 46.0 ns/item = 1.15x plain ReadAsync (met) (0.92x round-robin ReadAsync, the same workload without a select), 0.05x the workaround (met), 0 B/item (met)",
            output.ToString(),
            System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_the_round_robin_row_shows_no_ratio_to_it()
    {
        SelectTargetRow row = Assert.Single(SelectTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, ThreadPool, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, ThreadPool, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, ThreadPool, 200),
        ])));
        Assert.Null(row.TimesRoundRobin);
    }

    private static MeasuredBenchmark Row(string method, BenchmarkRole role, string parameters, double nanoseconds) =>
        new(s_suite, method, parameters, role, nanoseconds, 0, 0);
}
