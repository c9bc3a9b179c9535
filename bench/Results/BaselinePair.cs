using System;
using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>A benchmark and the baseline of its group (same class, same parameters), measured in the same run.</summary>
internal sealed record BaselinePair(MeasuredBenchmark Candidate, MeasuredBenchmark Baseline)
{
    /// <summary>
    /// Candidate time over baseline time. Below 1 the candidate is faster. Ratios taken within one run survive
    /// a noisy or different machine far better than absolute times, so regressions are tracked on them.
    /// </summary>
    public double Ratio => Candidate.NanosecondsPerOperation / Baseline.NanosecondsPerOperation;

    /// <summary>
    /// A confidence interval for <see cref="Ratio"/> at <paramref name="confidence"/> (e.g. 0.99), or null when either
    /// side's standard error or sample count is unknown. Built in log space, where the ratio's variance is the sum of
    /// both sides' squared relative standard errors (the delta method), with Student's t for the smaller sample.
    /// </summary>
    public (double Lower, double Upper)? RatioInterval(double confidence)
    {
        if (Candidate.RelativeStandardError is not double ours || Baseline.RelativeStandardError is not double bcl)
        {
            return null;
        }

        int degreesOfFreedom = Math.Min(Candidate.SampleCount!.Value, Baseline.SampleCount!.Value) - 1;
        double halfWidth = StudentT.Quantile(confidence, degreesOfFreedom) * Math.Sqrt((ours * ours) + (bcl * bcl));
        return (Ratio * Math.Exp(-halfWidth), Ratio * Math.Exp(halfWidth));
    }

    /// <summary>
    /// Every non-baseline benchmark with its group's baseline, in input order. A group without a measured
    /// baseline yields nothing: its ratios are unknown.
    /// </summary>
    public static IReadOnlyList<BaselinePair> PairAll(IEnumerable<MeasuredBenchmark> benchmarks)
    {
        var pairs = new List<BaselinePair>();
        foreach (IGrouping<string, MeasuredBenchmark> group in benchmarks.GroupBy(b => b.GroupKey))
        {
            if (group.FirstOrDefault(b => b.Role == BenchmarkRole.Baseline) is { } baseline)
            {
                pairs.AddRange(group.Where(b => b.Role != BenchmarkRole.Baseline).Select(b => new BaselinePair(b, baseline)));
            }
        }

        return pairs;
    }
}
