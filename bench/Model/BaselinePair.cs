namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>A benchmark and the baseline of its group, measured in the same run.</summary>
internal sealed record BaselinePair(MeasuredBenchmark Candidate, MeasuredBenchmark Baseline)
{
    /// <summary>
    /// Candidate time over baseline time. Below 1 the candidate is faster. Ratios taken within one run survive
    /// a noisy or different machine far better than absolute times, so regressions are tracked on them.
    /// </summary>
    public double Ratio => Candidate.NanosecondsPerOperation / Baseline.NanosecondsPerOperation;
}
