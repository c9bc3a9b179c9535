namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// One of our benchmarks in two runs: its ratio to the baseline and its allocations, before and after, and each
/// ratio's confidence interval when the reports carry standard errors.
/// </summary>
/// <param name="Benchmark">Class and method, e.g. <c>RingSuite.Ours</c>.</param>
/// <param name="Parameters">BenchmarkDotNet's parameter text, e.g. <c>Capacity=16, Workload=OneToOne</c>.</param>
internal sealed record RatioChange(
    string Benchmark,
    string Parameters,
    double? RatioBefore,
    double? RatioAfter,
    double? BytesBefore,
    double? BytesAfter,
    ChangeVerdict Verdict,
    (double Lower, double Upper)? IntervalBefore = null,
    (double Lower, double Upper)? IntervalAfter = null)
{
    /// <summary>Relative change of the ratio (0.25: a quarter slower relative to the BCL); null if either is missing.</summary>
    public double? Change => RatioBefore is double before && RatioAfter is double after ? (after / before) - 1 : null;

    public bool IsRegression => Verdict is ChangeVerdict.Slower or ChangeVerdict.MoreAllocations;
}
