using System;
using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Results;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// The guard's decision, a pure function of two <see cref="CaseSample"/>s. Each round's ratio ours / BCL cancels what
/// the machine did to both sides in that round; each launch (process) contributes the median of its rounds' ratios.
/// The unit of evidence is the launch, not the round: processes of one commit differ from each other (code layout,
/// pool threads, whether a buffered ring's producer and consumer tend to share a core) far more than the rounds of
/// one process do, so a test that counted rounds as independent would call every such difference significant. A
/// case is <see cref="ChangeVerdict.Slower"/> only when both hold:
/// <list type="number">
/// <item><b>Large:</b> the mean of the new launches' log median ratios exceeds the baseline's by more than
/// log(1 + threshold), by default a 20% move (a 30% slowdown must still stand out).</item>
/// <item><b>Beyond the launches' spread:</b> it also exceeds what a one-sided two-sample Student t-test on the
/// launch medians calls chance at level alpha (default 1%): t(1 - alpha, df) times the pooled standard deviation of
/// the launch medians times sqrt(1/launches before + 1/launches after), with df = launches before + after - 2. A
/// steady case's bar is the threshold; a noisy one's is higher, and the table prints it.</item>
/// </list>
/// A move past the threshold but not past the bar is <see cref="ChangeVerdict.Inconclusive"/>; <see cref="ChangeVerdict.Faster"/>
/// mirrors <see cref="ChangeVerdict.Slower"/>. With too few launches to estimate a spread (df &lt; 1), nothing is
/// ever slower or faster. Allocations need no statistics, bytes are counted exactly: more than
/// <see cref="AllocationSlackBytes"/> per operation over the baseline is <see cref="ChangeVerdict.MoreAllocations"/>, a
/// regression whatever the timings say. A case whose time is too much a matter of scheduling luck here to be judged
/// (<see cref="GuardCase.TimeJudged"/>) is <see cref="ChangeVerdict.Watched"/>: its move is shown, never a verdict.
/// </summary>
internal static class GuardRule
{
    /// <summary>
    /// A 20% move of the ratio: between what runs of one commit moved the steady cases here (up to +13.5% between
    /// runs half an hour apart) and the 30% the guard must catch (measured at +30.0% to +30.6%); in log terms, about
    /// halfway.
    /// </summary>
    public const double DefaultThreshold = 0.20;

    /// <summary>The one-sided level of the launch test.</summary>
    public const double DefaultAlpha = 0.01;

    /// <summary>
    /// Extra bytes per operation tolerated: a round's own tasks and closures, spread over its operations, weigh at
    /// most a quarter of a byte here (0.23 for 4 -> 4); the smallest object a channel could add per operation weighs 24.
    /// </summary>
    public const double AllocationSlackBytes = 0.5;

    /// <summary>Judges every case of either report: the baseline's order first, then cases new in this run.</summary>
    /// <param name="timeJudged">Whether a case's time is judged (<see cref="GuardCase.IsTimeJudged"/>); its allocations always are.</param>
    public static IReadOnlyList<GuardJudgement> JudgeAll(
        GuardReport before, GuardReport after, double threshold, double alpha, Func<string, bool> timeJudged) =>
        [.. before.Cases.Select(b => Judge(b, after.Find(b.Case), threshold, alpha, timeJudged(b.Case)))
            .Concat(after.Cases.Where(a => before.Find(a.Case) is null).Select(a => Judge(null, a, threshold, alpha)))];

    /// <summary>The verdict on one case; either side may be missing (a case added or removed since the baseline).</summary>
    /// <param name="timeJudged">False for a case whose time is only shown: <see cref="ChangeVerdict.Watched"/> unless it allocates more.</param>
    public static GuardJudgement Judge(
        CaseSample? before, CaseSample? after, double threshold = DefaultThreshold, double alpha = DefaultAlpha, bool timeJudged = true)
    {
        if (before is null || after is null)
        {
            CaseSample only = (before ?? after) ?? throw new ArgumentException("Neither side has the case.", nameof(before));
            return new GuardJudgement(
                only.Case,
                before is null ? ChangeVerdict.OnlyInNew : ChangeVerdict.OnlyInBaseline,
                RatioBefore: before?.TypicalRatio(),
                RatioAfter: after?.TypicalRatio());
        }

        // Ratios are multiplicative (half as fast and twice as fast are equal moves), so everything runs on logs.
        IReadOnlyList<double> launchesBefore = before.LaunchLogMedians();
        IReadOnlyList<double> launchesAfter = after.LaunchLogMedians();
        double shift = launchesAfter.Average() - launchesBefore.Average();
        double bar = Bar(launchesBefore, launchesAfter, threshold, alpha);
        bool allocatesMore = after.BytesPerOperation > before.BytesPerOperation + AllocationSlackBytes;
        ChangeVerdict verdict = true switch
        {
            _ when !timeJudged => allocatesMore ? ChangeVerdict.MoreAllocations : ChangeVerdict.Watched,
            _ when shift > bar => ChangeVerdict.Slower,
            _ when allocatesMore => ChangeVerdict.MoreAllocations,
            _ when shift < -bar => ChangeVerdict.Faster,
            _ when Math.Abs(shift) > Math.Log(1 + threshold) => ChangeVerdict.Inconclusive,
            _ => ChangeVerdict.Same,
        };
        return new GuardJudgement(
            before.Case,
            verdict,
            before.TypicalRatio(),
            after.TypicalRatio(),
            Math.Exp(shift) - 1,
            double.IsPositiveInfinity(bar) ? null : Math.Exp(bar) - 1,
            before.BytesPerOperation,
            after.BytesPerOperation);
    }

    /// <summary>
    /// The log shift a case must exceed: log(1 + threshold), or the one-sided t critical value times the standard
    /// error of the difference of the launch means, whichever is larger; infinite without a degree of freedom.
    /// </summary>
    public static double Bar(IReadOnlyList<double> before, IReadOnlyList<double> after, double threshold, double alpha)
    {
        int degreesOfFreedom = before.Count + after.Count - 2;
        if (degreesOfFreedom < 1)
        {
            return double.PositiveInfinity;
        }

        double pooledVariance = (SumOfSquaredDeviations(before) + SumOfSquaredDeviations(after)) / degreesOfFreedom;
        double standardError = Math.Sqrt(pooledVariance * ((1.0 / before.Count) + (1.0 / after.Count)));

        // StudentT.Quantile is two-sided: a two-sided confidence of 1 - 2 alpha leaves alpha in the upper tail.
        double critical = StudentT.Quantile(1 - (2 * alpha), degreesOfFreedom);
        return Math.Max(Math.Log(1 + threshold), critical * standardError);
    }

    private static double SumOfSquaredDeviations(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean));
    }
}
