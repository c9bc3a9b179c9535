using Rendezvous.Channels.Benchmarks.Regression;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>The guard's verdict on one case, with the figures it rests on (null where a side is missing).</summary>
/// <param name="RatioBefore">The baseline's median per-round ratio, ours / BCL.</param>
/// <param name="RatioAfter">The new run's median per-round ratio.</param>
/// <param name="Change">The Hodges-Lehmann shift of the ratio, as a relative change (0.3: 30% slower relative to the BCL).</param>
/// <param name="PSlower">One-sided Mann-Whitney p-value for "the new ratios are larger".</param>
/// <param name="PFaster">One-sided Mann-Whitney p-value for "the new ratios are smaller".</param>
internal sealed record GuardJudgement(
    string Case,
    ChangeVerdict Verdict,
    double? RatioBefore = null,
    double? RatioAfter = null,
    double? Change = null,
    double? PSlower = null,
    double? PFaster = null,
    double? BytesBefore = null,
    double? BytesAfter = null)
{
    public bool IsRegression => Verdict is ChangeVerdict.Slower or ChangeVerdict.MoreAllocations;
}
