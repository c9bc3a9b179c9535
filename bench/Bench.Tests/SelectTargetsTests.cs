using System.IO;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The select targets read off synthetic SelectSuite measurements (no timing).</summary>
public class SelectTargetsTests
{
    private static readonly string s_suite = typeof(SelectSuite).FullName!;
    private const string TwoClauses = "Kind=Rendezvous, Producers=2";
    private const string FourClauses = "Kind=Rendezvous, Producers=4";

    [Fact]
    public void A_select_row_is_measured_against_the_plain_ReadAsync_row_and_the_workaround_of_its_own_case()
    {
        SelectTargetRow row = Assert.Single(SelectTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, TwoClauses, 2000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, TwoClauses, 400),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, TwoClauses, 480, bytes: 0.1),
            // Another case's plain row must not be used for this one.
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, FourClauses, 100),
        ])));

        Assert.Equal(nameof(SelectSuite.Selector), row.Select.Method);
        Assert.Equal(1.2, row.TimesPlainReadAsync, precision: 10);
        Assert.Equal(0.24, row.TimesWorkaround, precision: 10);
        Assert.True(row.IsJudged);
        Assert.True(row.MeetsPlainReadAsyncTarget);
        Assert.True(row.MeetsWorkaroundTarget);
        Assert.True(row.MeetsAllocationTarget);
    }

    [Fact]
    public void Each_target_is_missed_on_its_own()
    {
        var rows = SelectTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, TwoClauses, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, TwoClauses, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, TwoClauses, 160, bytes: 0),    // 1.6x plain
            Row(nameof(SelectSuite.ReadAny), BenchmarkRole.Ours, TwoClauses, 140, bytes: 8),     // allocates
        ]));

        Assert.Equal(2, rows.Count);
        Assert.False(rows[0].MeetsPlainReadAsyncTarget);
        Assert.True(rows[0].MeetsWorkaroundTarget);
        Assert.True(rows[0].MeetsAllocationTarget);
        Assert.True(rows[1].MeetsPlainReadAsyncTarget);
        Assert.False(rows[1].MeetsAllocationTarget);

        var slowAgainstWorkaround = Assert.Single(SelectTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, TwoClauses, 300),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, TwoClauses, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, TwoClauses, 100, bytes: 0),  // 0.33x the workaround
        ])));
        Assert.False(slowAgainstWorkaround.MeetsWorkaroundTarget);
    }

    [Fact]
    public void Only_two_clause_cases_are_judged_and_the_printout_says_so()
    {
        MeasuredBenchmark[] run =
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, TwoClauses, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, TwoClauses, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, TwoClauses, 200, bytes: 0),
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, FourClauses, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, FourClauses, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, FourClauses, 200, bytes: 0),
        ];
        var output = new StringWriter();

        SelectTargets.Write(BaselinePair.PairAll(run), output);

        string[] lines = output.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(
            "SelectSuite Kind=Rendezvous, Producers=2: Selector 200.0 ns/item = 2.00x plain ReadAsync (MISSED), 0.20x the workaround (met), 0 B/item (met)",
            lines[1]);
        Assert.Equal(
            "SelectSuite Kind=Rendezvous, Producers=4: Selector 200.0 ns/item = 2.00x plain ReadAsync, 0.20x the workaround, 0 B/item",
            lines[2]);
    }

    [Fact]
    public void A_run_without_select_cases_prints_nothing()
    {
        var output = new StringWriter();
        SelectTargets.Write(BaselinePair.PairAll(
        [
            new MeasuredBenchmark("Rendezvous.Channels.Benchmarks.Workloads.RendezvousSuite", "BclBounded", "Workload=OneToOne", BenchmarkRole.Baseline, 100, 0, 0),
            new MeasuredBenchmark("Rendezvous.Channels.Benchmarks.Workloads.RendezvousSuite", "Ours", "Workload=OneToOne", BenchmarkRole.Ours, 90, 0, 0),
        ]), output);
        Assert.Equal(string.Empty, output.ToString());
    }

    private static MeasuredBenchmark Row(string method, BenchmarkRole role, string parameters, double nanoseconds, double? bytes = 0) =>
        new(s_suite, method, parameters, role, nanoseconds, bytes, 0);
}
