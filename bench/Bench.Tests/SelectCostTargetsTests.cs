using System.IO;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The select's own cost read off synthetic SelectCostSuite measurements (no timing).</summary>
public class SelectCostTargetsTests
{
    private static readonly string s_suite = typeof(SelectCostSuite).FullName!;
    private const string Ring = "Kind=Ring1024";
    private const string Rendezvous = "Kind=Rendezvous";

    [Fact]
    public void SelectAsync_is_measured_against_ReadAsync_and_TrySelect_against_TryRead_of_its_own_kind()
    {
        SelectCostRow row = Assert.Single(SelectCostTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectCostSuite.ReadAsync), BenchmarkRole.Baseline, Ring, 20),
            Row(nameof(SelectCostSuite.SelectAsync), BenchmarkRole.Ours, Ring, 28),
            Row(nameof(SelectCostSuite.TryRead), BenchmarkRole.Ours, Ring, 10),
            Row(nameof(SelectCostSuite.TrySelect), BenchmarkRole.Ours, Ring, 16, bytes: 8),
            Row(nameof(SelectCostSuite.BclReadAsync), BenchmarkRole.Reference, Ring, 40),
            // Another kind's rows must not be used for this one.
            Row(nameof(SelectCostSuite.TryRead), BenchmarkRole.Ours, Rendezvous, 1),
        ])));

        Assert.Equal(Ring, row.Parameters);
        Assert.Equal(nameof(SelectCostSuite.ReadAsync), row.Async.Plain.Method);
        Assert.Equal(1.4, row.Async.Ratio, precision: 10);
        Assert.Equal(8, row.Async.ExtraNanoseconds, precision: 10);
        Assert.True(row.Async.MeetsTarget);
        Assert.True(row.Async.MeetsAllocationTarget);
        Assert.Equal(nameof(SelectCostSuite.TryRead), row.Sync.Plain.Method);
        Assert.Equal(1.6, row.Sync.Ratio, precision: 10);
        Assert.False(row.Sync.MeetsTarget);
        Assert.False(row.Sync.MeetsAllocationTarget);
    }

    [Fact]
    public void The_printout_gives_ratio_verdict_extra_nanoseconds_and_bytes_per_kind()
    {
        MeasuredBenchmark[] run =
        [
            Row(nameof(SelectCostSuite.ReadAsync), BenchmarkRole.Baseline, Rendezvous, 50),
            Row(nameof(SelectCostSuite.SelectAsync), BenchmarkRole.Ours, Rendezvous, 100),
            Row(nameof(SelectCostSuite.TryRead), BenchmarkRole.Ours, Rendezvous, 40),
            Row(nameof(SelectCostSuite.TrySelect), BenchmarkRole.Ours, Rendezvous, 50),
            Row(nameof(SelectCostSuite.ReadAsync), BenchmarkRole.Baseline, Ring, 20),
            Row(nameof(SelectCostSuite.SelectAsync), BenchmarkRole.Ours, Ring, 20),
            Row(nameof(SelectCostSuite.TryRead), BenchmarkRole.Ours, Ring, 10),
            Row(nameof(SelectCostSuite.TrySelect), BenchmarkRole.Ours, Ring, 9, bytes: null),
        ];
        var output = new StringWriter();

        SelectCostTargets.Write(BaselinePair.PairAll(run), output);

        string[] lines = output.ToString().Split('\n', System.StringSplitOptions.RemoveEmptyEntries | System.StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Select own cost (issue 13: a two-clause select <= 1.50x a plain read", lines[0], System.StringComparison.Ordinal);
        Assert.Equal(
            "SelectCostSuite Kind=Rendezvous: select own cost: SelectAsync = 2.00x ReadAsync (MISSED) (+50.0 ns/item), 0 B/item (met), " +
            "TrySelect = 1.25x TryRead (met) (+10.0 ns/item), 0 B/item (met)",
            lines[1]);
        Assert.Equal(
            "SelectCostSuite Kind=Ring1024: select own cost: SelectAsync = 1.00x ReadAsync (met) (+0.0 ns/item), 0 B/item (met), " +
            "TrySelect = 0.90x TryRead (met) (-1.0 ns/item), - B/item (not measured)",
            lines[2]);
    }

    [Fact]
    public void A_case_missing_a_row_and_a_run_without_the_suite_print_nothing()
    {
        var output = new StringWriter();
        SelectCostTargets.Write(BaselinePair.PairAll(
        [
            Row(nameof(SelectCostSuite.ReadAsync), BenchmarkRole.Baseline, Ring, 20),
            Row(nameof(SelectCostSuite.SelectAsync), BenchmarkRole.Ours, Ring, 28),
            Row(nameof(SelectCostSuite.TryRead), BenchmarkRole.Ours, Ring, 10),
            new MeasuredBenchmark(typeof(SelectSuite).FullName!, nameof(SelectSuite.BclWhenAny), "Kind=Ring1024, Mode=ThreadPool, Producers=2", BenchmarkRole.Baseline, 100, 0, 0),
            new MeasuredBenchmark(typeof(SelectSuite).FullName!, nameof(SelectSuite.Selector), "Kind=Ring1024, Mode=ThreadPool, Producers=2", BenchmarkRole.Ours, 30, 0, 0),
        ]), output);
        Assert.Equal(string.Empty, output.ToString());
    }

    private static MeasuredBenchmark Row(string method, BenchmarkRole role, string parameters, double nanoseconds, double? bytes = 0) =>
        new(s_suite, method, parameters, role, nanoseconds, bytes, 0);
}
