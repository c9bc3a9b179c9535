using System.IO;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The fair reference row (a plain ReadAsync loop fed by as many producers as the select has): shown, never judged.</summary>
public class SelectTargetsSameProducersTests
{
    private static readonly string s_suite = typeof(SelectSuite).FullName!;
    private const string TwoClauses = "Kind=Ring1024, Producers=2";

    [Fact]
    public void A_select_row_is_also_shown_against_the_plain_row_with_as_many_producers_without_changing_the_verdict()
    {
        MeasuredBenchmark[] run =
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, 100),
            Row(nameof(SelectSuite.PlainReadAsyncSameProducers), BenchmarkRole.Reference, 160),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, 200),
        ];

        SelectTargetRow row = Assert.Single(SelectTargets.Evaluate(BaselinePair.PairAll(run)));
        Assert.Equal(2.0, row.TimesPlainReadAsync, precision: 10);
        Assert.Equal(1.25, row.TimesSameProducers!.Value, precision: 10);
        Assert.False(row.MeetsPlainReadAsyncTarget);

        var output = new StringWriter();
        SelectTargets.Write(BaselinePair.PairAll(run), output);
        Assert.Contains(
            "Selector 200.0 ns/item = 2.00x plain ReadAsync (MISSED) (1.25x with as many producers), 0.20x the workaround (met), 0 B/item (met)",
            output.ToString(),
            System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_the_fair_row_shows_no_ratio_to_it()
    {
        SelectTargetRow row = Assert.Single(SelectTargets.Evaluate(BaselinePair.PairAll(
        [
            Row(nameof(SelectSuite.BclWhenAny), BenchmarkRole.Baseline, 1000),
            Row(nameof(SelectSuite.PlainReadAsync), BenchmarkRole.Reference, 100),
            Row(nameof(SelectSuite.Selector), BenchmarkRole.Ours, 200),
        ])));
        Assert.Null(row.TimesSameProducers);
    }

    private static MeasuredBenchmark Row(string method, BenchmarkRole role, double nanoseconds) =>
        new(s_suite, method, TwoClauses, role, nanoseconds, 0, 0);
}
