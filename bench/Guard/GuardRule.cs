using System;
using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Regression;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// The guard's decision, a pure function of two <see cref="CaseSample"/>s. Each round's ratio ours / BCL cancels
/// what the machine did to both sides in that round; the question is whether the new run's ratios sit higher than
/// the baseline's, by enough to matter and by more than their spread explains. Both must hold:
/// <list type="number">
/// <item><b>Large:</b> the Hodges-Lehmann shift of the log ratios (the median of all pairwise differences, new
/// minus baseline) exceeds log(1 + threshold), by default a 15% move. Runs of the same commit in different
/// processes differ by a few percent (code layout, thread placement) with any number of rounds, and a rank test
/// alone would come to call that significant; the threshold is what keeps a guard from crying wolf.</item>
/// <item><b>Measured:</b> the one-sided Mann-Whitney U test of the same log ratios finds the new run larger at
/// the level alpha (default 1%): a move the rounds' own spread can explain is inconclusive, not a regression.</item>
/// </list>
/// <see cref="ChangeVerdict.Faster"/> is symmetric (a shift below -log(1 + threshold), the test significant the other
/// way). More allocation needs no statistics, since bytes are counted exactly: more than
/// <see cref="AllocationSlackBytes"/> per operation over the baseline is <see cref="ChangeVerdict.MoreAllocations"/>,
/// a regression whatever the timings say.
/// </summary>
internal static class GuardRule
{
    /// <summary>A 15% move of the ratio: well above run-to-run drift here, well below the 30% the guard must catch.</summary>
    public const double DefaultThreshold = 0.15;

    /// <summary>The Mann-Whitney level: with about two dozen cases, a false "significant" about once in four runs at most, and the threshold still has to agree.</summary>
    public const double DefaultAlpha = 0.01;

    /// <summary>
    /// Extra bytes per operation tolerated: a round's own tasks and closures, spread over its operations, weigh a
    /// tenth of a byte or so; the smallest object a channel could add per operation weighs 24.
    /// </summary>
    public const double AllocationSlackBytes = 0.5;

    /// <summary>Judges every case of either report: the baseline's order first, then cases new in this run.</summary>
    public static IReadOnlyList<GuardJudgement> JudgeAll(GuardReport before, GuardReport after, double threshold, double alpha) =>
        [.. before.Cases.Select(b => Judge(b, after.Find(b.Case), threshold, alpha))
            .Concat(after.Cases.Where(a => before.Find(a.Case) is null).Select(a => Judge(null, a, threshold, alpha)))];

    /// <summary>The verdict on one case; either side may be missing (a case added or removed since the baseline).</summary>
    public static GuardJudgement Judge(CaseSample? before, CaseSample? after, double threshold = DefaultThreshold, double alpha = DefaultAlpha)
    {
        if (before is null || after is null)
        {
            CaseSample only = (before ?? after) ?? throw new ArgumentException("Neither side has the case.", nameof(before));
            return new GuardJudgement(
                only.Case,
                before is null ? ChangeVerdict.OnlyInNew : ChangeVerdict.OnlyInBaseline,
                RatioBefore: before?.MedianRatio(),
                RatioAfter: after?.MedianRatio());
        }

        // Ratios are multiplicative (half as fast and twice as fast are equal moves), so the test runs on their logs.
        double[] logBefore = [.. before.Ratios().Select(ratio => Math.Log(ratio))];
        double[] logAfter = [.. after.Ratios().Select(ratio => Math.Log(ratio))];
        double shift = RankStatistics.HodgesLehmannShift(logBefore, logAfter);
        double pSlower = RankStatistics.ProbabilityLargerByChance(logBefore, logAfter);
        double pFaster = RankStatistics.ProbabilityLargerByChance(logAfter, logBefore);
        double limit = Math.Log(1 + threshold);
        bool allocatesMore = after.BytesPerOperation > before.BytesPerOperation + AllocationSlackBytes;
        ChangeVerdict verdict = true switch
        {
            _ when shift > limit && pSlower < alpha => ChangeVerdict.Slower,
            _ when allocatesMore => ChangeVerdict.MoreAllocations,
            _ when shift < -limit && pFaster < alpha => ChangeVerdict.Faster,
            _ when Math.Abs(shift) > limit => ChangeVerdict.Inconclusive,
            _ => ChangeVerdict.Same,
        };
        return new GuardJudgement(
            before.Case,
            verdict,
            before.MedianRatio(),
            after.MedianRatio(),
            Math.Exp(shift) - 1,
            pSlower,
            pFaster,
            before.BytesPerOperation,
            after.BytesPerOperation);
    }
}
