using Rendezvous.Channels.Benchmarks.Regression;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>The guard's verdict on one case, with the figures it rests on (null where a side is missing).</summary>
/// <param name="RatioBefore">The baseline's ratio, ours / BCL (<see cref="CaseSample.TypicalRatio"/>).</param>
/// <param name="RatioAfter">The new run's ratio.</param>
/// <param name="Change">How far the ratio moved, relative (0.3: 30% slower relative to the BCL).</param>
/// <param name="Bar">
/// The smallest move this case is judged by: the threshold, or more where the launches' spread says a smaller move
/// could be chance (relative, like <paramref name="Change"/>).
/// </param>
internal sealed record GuardJudgement(
    string Case,
    ChangeVerdict Verdict,
    double? RatioBefore = null,
    double? RatioAfter = null,
    double? Change = null,
    double? Bar = null,
    double? BytesBefore = null,
    double? BytesAfter = null)
{
    public bool IsRegression => Verdict is ChangeVerdict.Slower or ChangeVerdict.MoreAllocations;
}
