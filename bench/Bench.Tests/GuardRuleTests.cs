using System;
using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Guard;
using Rendezvous.Channels.Benchmarks.Regression;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>
/// The guard's decision rule on synthetic runs (no timing): per-round ratios drawn around a chosen value, with a
/// chosen spread between rounds and between launches, as the guard's reports carry them.
/// </summary>
public class GuardRuleTests
{
    private const int Rounds = 20;

    [Fact]
    public void A_run_drawn_from_the_baselines_own_distribution_is_no_regression()
    {
        // Steady case: launches 3% apart, rounds 10% apart; the new run's launches drawn afresh from the same.
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1);
        for (int seed = 2; seed < 42; seed++)
        {
            CaseSample again = Run(ratio: 0.50, launches: 5, launchSpread: 0.03, roundSpread: 0.10, seed: seed);

            GuardJudgement judgement = GuardRule.Judge(baseline, again);

            Assert.Equal(ChangeVerdict.Same, judgement.Verdict);
            Assert.False(judgement.IsRegression);
        }
    }

    [Fact]
    public void A_thirty_percent_slowdown_of_a_steady_case_is_a_regression()
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1);
        CaseSample slowed = Run(ratio: 0.65, launches: 5, launchSpread: 0.03, roundSpread: 0.10, seed: 2);

        GuardJudgement judgement = GuardRule.Judge(baseline, slowed);

        Assert.Equal(ChangeVerdict.Slower, judgement.Verdict);
        Assert.True(judgement.IsRegression);
        Assert.InRange(judgement.Change!.Value, 0.25, 0.35);
        Assert.Equal(GuardRule.DefaultThreshold, judgement.Bar!.Value, precision: 10); // steady: the threshold is the bar
    }

    [Fact]
    public void A_move_under_the_threshold_is_the_same_however_tight_the_launches()
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.001, roundSpread: 0.01, seed: 1);
        CaseSample moved = Run(ratio: 0.55, launches: 5, launchSpread: 0.001, roundSpread: 0.01, seed: 2); // +10%

        Assert.Equal(ChangeVerdict.Same, GuardRule.Judge(baseline, moved).Verdict);
    }

    [Fact]
    public void Launches_that_spread_wide_raise_the_bar_so_their_noise_is_inconclusive_not_a_regression()
    {
        // A noisy case: launches of one commit 25% apart (a buffered ring on 2 cores). A +30% move between runs is
        // within what such launches do by themselves.
        CaseSample baseline = Run(ratio: 0.25, launches: 10, launchSpread: 0.25, roundSpread: 0.2, seed: 3);
        CaseSample moved = Shifted(Run(ratio: 0.25, launches: 5, launchSpread: 0.25, roundSpread: 0.2, seed: 4), baseline, 1.30);

        GuardJudgement judgement = GuardRule.Judge(baseline, moved);

        Assert.Equal(ChangeVerdict.Inconclusive, judgement.Verdict);
        Assert.False(judgement.IsRegression);
        Assert.True(judgement.Bar > 0.30, $"bar {judgement.Bar}");
    }

    [Fact]
    public void Rounds_are_not_counted_as_independent_evidence()
    {
        // Each launch sits at its own level (spread 10%), its rounds tight around it. The new run's launches all
        // happen to sit 25% higher: counted round by round that is overwhelming, counted by launch it is not.
        CaseSample baseline = Run(ratio: 0.5, launches: 3, launchSpread: 0.10, roundSpread: 0.01, seed: 5);
        CaseSample moved = Shifted(Run(ratio: 0.5, launches: 3, launchSpread: 0.10, roundSpread: 0.01, seed: 6), baseline, 1.25);

        GuardJudgement judgement = GuardRule.Judge(baseline, moved);

        Assert.Equal(ChangeVerdict.Inconclusive, judgement.Verdict);
    }

    [Fact]
    public void A_thirty_percent_speed_up_is_faster_and_no_regression()
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1);
        CaseSample faster = Run(ratio: 0.50 / 1.3, launches: 5, launchSpread: 0.03, roundSpread: 0.10, seed: 2);

        GuardJudgement judgement = GuardRule.Judge(baseline, faster);

        Assert.Equal(ChangeVerdict.Faster, judgement.Verdict);
        Assert.False(judgement.IsRegression);
    }

    [Fact]
    public void A_watched_case_shows_its_move_but_is_never_judged_on_time()
    {
        CaseSample baseline = Run(ratio: 0.25, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1);
        CaseSample moved = Run(ratio: 0.50, launches: 5, launchSpread: 0.03, roundSpread: 0.10, seed: 2);

        GuardJudgement judgement = GuardRule.Judge(baseline, moved, timeJudged: false);

        Assert.Equal(ChangeVerdict.Watched, judgement.Verdict);
        Assert.False(judgement.IsRegression);
        Assert.InRange(judgement.Change!.Value, 0.9, 1.1);
    }

    [Fact]
    public void A_watched_case_that_allocates_more_is_a_regression()
    {
        CaseSample baseline = Run(ratio: 0.25, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1);

        GuardJudgement judgement = GuardRule.Judge(baseline, baseline with { BytesPerOperation = 24 }, timeJudged: false);

        Assert.Equal(ChangeVerdict.MoreAllocations, judgement.Verdict);
    }

    [Theory]
    [InlineData(0.0, 24.0)] // a new object per operation
    [InlineData(0.07, 1.0)] // one object every 24 operations
    public void An_allocation_increase_always_counts_even_at_the_same_speed(double bytesBefore, double bytesAfter)
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1) with { BytesPerOperation = bytesBefore };
        CaseSample same = baseline with { BytesPerOperation = bytesAfter };

        GuardJudgement judgement = GuardRule.Judge(baseline, same);

        Assert.Equal(ChangeVerdict.MoreAllocations, judgement.Verdict);
        Assert.True(judgement.IsRegression);
    }

    [Fact]
    public void The_harness_own_fraction_of_a_byte_is_not_an_allocation_increase()
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 10, launchSpread: 0.03, roundSpread: 0.10, seed: 1) with { BytesPerOperation = 0.02 };

        Assert.Equal(ChangeVerdict.Same, GuardRule.Judge(baseline, baseline with { BytesPerOperation = 0.24 }).Verdict);
    }

    [Fact]
    public void Without_a_degree_of_freedom_nothing_is_judged_slower()
    {
        CaseSample baseline = Run(ratio: 0.50, launches: 1, launchSpread: 0, roundSpread: 0.01, seed: 1);
        CaseSample slowed = Run(ratio: 1.00, launches: 1, launchSpread: 0, roundSpread: 0.01, seed: 2);

        GuardJudgement judgement = GuardRule.Judge(baseline, slowed);

        Assert.Equal(ChangeVerdict.Inconclusive, judgement.Verdict);
        Assert.Null(judgement.Bar);
    }

    [Fact]
    public void Each_launch_counts_by_the_median_of_its_rounds_so_a_wild_round_does_not_move_it()
    {
        var sample = new CaseSample("c", 16384, RoundsPerLaunch: 3, 0, Ours: [50, 50, 500, 60, 60, 60], Bcl: [100, 100, 100, 100, 100, 100]);

        IReadOnlyList<double> launches = sample.LaunchLogMedians();

        Assert.Equal(2, launches.Count);
        Assert.Equal(Math.Log(0.5), launches[0], precision: 10);
        Assert.Equal(Math.Log(0.6), launches[1], precision: 10);
        Assert.Equal(Math.Sqrt(0.5 * 0.6), sample.TypicalRatio(), precision: 10);
    }

    [Fact]
    public void Pooling_launches_keeps_every_round_in_launch_order_and_the_fewest_bytes()
    {
        GuardReport first = Report(new CaseSample("c", 16384, 2, 0.30, [1, 2], [10, 10]));
        GuardReport second = Report(new CaseSample("c", 16384, 2, 0.10, [3, 4], [10, 10]));

        GuardReport pooled = GuardReport.Pool([first, second]);

        CaseSample sample = Assert.Single(pooled.Cases);
        Assert.Equal([1, 2, 3, 4], sample.Ours);
        Assert.Equal(0.10, sample.BytesPerOperation);
        Assert.Equal(2, pooled.Launches);
        Assert.Equal(2, sample.LaunchLogMedians().Count);
    }

    [Fact]
    public void Cases_new_or_gone_since_the_baseline_are_listed_but_never_regressions()
    {
        CaseSample kept = Run(ratio: 0.5, launches: 3, launchSpread: 0.03, roundSpread: 0.1, seed: 1);
        GuardReport before = Report(kept, kept with { Case = "gone" });
        GuardReport after = Report(kept, kept with { Case = "new" });

        IReadOnlyList<GuardJudgement> judgements = GuardRule.JudgeAll(before, after, GuardRule.DefaultThreshold, GuardRule.DefaultAlpha, _ => true);

        Assert.Equal(
            [ChangeVerdict.Same, ChangeVerdict.OnlyInBaseline, ChangeVerdict.OnlyInNew],
            judgements.Select(j => j.Verdict));
        Assert.DoesNotContain(judgements, j => j.IsRegression);
    }

    /// <summary>
    /// A synthetic run of one case: BCL at 100 ns per round; each launch's level drawn log-normally around
    /// <paramref name="ratio"/> with <paramref name="launchSpread"/>, each round around its launch's level with
    /// <paramref name="roundSpread"/> (standard deviations of the log).
    /// </summary>
    private static CaseSample Run(double ratio, int launches, double launchSpread, double roundSpread, int seed)
    {
        var random = new Random(seed);
        var ours = new List<double>();
        for (int launch = 0; launch < launches; launch++)
        {
            double level = Math.Log(ratio) + (launchSpread * Normal(random));
            for (int round = 0; round < Rounds; round++)
            {
                ours.Add(100 * Math.Exp(level + (roundSpread * Normal(random))));
            }
        }

        return new CaseSample("Rendezvous OneToOne", 16384, Rounds, 0.07, ours, [.. Enumerable.Repeat(100.0, ours.Count)]);
    }

    /// <summary>
    /// <paramref name="sample"/> moved so that its typical ratio is exactly <paramref name="factor"/> times
    /// <paramref name="reference"/>'s: the shift a test asserts on, free of the draw's own luck.
    /// </summary>
    private static CaseSample Shifted(CaseSample sample, CaseSample reference, double factor)
    {
        double scale = factor * reference.TypicalRatio() / sample.TypicalRatio();
        return sample with { Ours = [.. sample.Ours.Select(o => o * scale)] };
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static GuardReport Report(params CaseSample[] cases) =>
        new(DateTimeOffset.UnixEpoch, "test", null, Rounds: cases[0].RoundsPerLaunch, Launches: 1, cases);
}
