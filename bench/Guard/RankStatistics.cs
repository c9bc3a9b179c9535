using System;
using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// Rank statistics for two independent samples, which assume nothing about the shape of either distribution
/// (per-round timings on a shared machine are skewed and often bimodal, so a t-test's normality is out of reach):
/// the Mann-Whitney U test (H. B. Mann and D. R. Whitney, 1947), by its normal approximation with the tie and
/// continuity corrections, and the Hodges-Lehmann estimate of the shift between the samples (J. L. Hodges and
/// E. L. Lehmann, 1963), the median of all pairwise differences, which is the shift the U test is about.
/// </summary>
internal static class RankStatistics
{
    /// <summary>
    /// The Hodges-Lehmann shift of <paramref name="after"/> relative to <paramref name="before"/>: the median of
    /// <c>after[j] - before[i]</c> over all pairs. Robust: a quarter of either sample can be wild without moving it much.
    /// </summary>
    public static double HodgesLehmannShift(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        RequireValues(before, nameof(before));
        RequireValues(after, nameof(after));
        var differences = new double[before.Count * after.Count];
        int k = 0;
        foreach (double b in before)
        {
            foreach (double a in after)
            {
                differences[k++] = a - b;
            }
        }

        Array.Sort(differences);
        int middle = differences.Length / 2;
        return differences.Length % 2 == 1 ? differences[middle] : (differences[middle - 1] + differences[middle]) / 2;
    }

    /// <summary>
    /// One-sided Mann-Whitney p-value for "<paramref name="after"/> tends to be larger than <paramref name="before"/>":
    /// how likely a rank sum at least this high would be if both samples came from one distribution. Small means
    /// the two samples really differ in that direction. Swap the arguments for "smaller".
    /// </summary>
    public static double ProbabilityLargerByChance(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        RequireValues(before, nameof(before));
        RequireValues(after, nameof(after));
        int n1 = before.Count;
        int n2 = after.Count;
        int n = n1 + n2;

        // Mid-ranks of the pooled sample (ties share the mean of their ranks), then U of the "after" sample: how many
        // (before, after) pairs have the after value larger, ties counting one half.
        (double Value, bool IsAfter)[] pooled = [.. before.Select(v => (Value: v, IsAfter: false)).Concat(after.Select(v => (Value: v, IsAfter: true))).OrderBy(p => p.Value)];
        double afterRankSum = 0;
        double tieTerm = 0; // sum of t^3 - t over groups of t tied values
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && pooled[end].Value == pooled[start].Value)
            {
                end++;
            }

            double midRank = ((start + 1) + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                if (pooled[i].IsAfter)
                {
                    afterRankSum += midRank;
                }
            }

            double t = end - start;
            tieTerm += (t * t * t) - t;
            start = end;
        }

        double u = afterRankSum - (n2 * (n2 + 1) / 2.0);
        double mean = n1 * n2 / 2.0;
        double variance = n1 * n2 / 12.0 * ((n + 1) - (tieTerm / ((double)n * (n - 1))));
        if (variance <= 0)
        {
            // Every value tied (or a single value in all): nothing tells the samples apart.
            return 1;
        }

        // Continuity correction: U moves in steps of one half at most, the normal curve continuously.
        double z = (u - mean - 0.5) / Math.Sqrt(variance);
        return UpperTailOfStandardNormal(z);
    }

    /// <summary>P(Z &gt; z) for a standard normal Z, to about 1e-7 (through <see cref="Erfc"/>).</summary>
    public static double UpperTailOfStandardNormal(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>
    /// The complementary error function, by the rational approximation 7.1.26 of Abramowitz and Stegun's Handbook
    /// of Mathematical Functions (1964) for x &gt;= 0 (absolute error of erf below 1.5e-7), and erfc(-x) = 2 - erfc(x).
    /// Ample for p-values compared with a 1% level.
    /// </summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        const double P = 0.3275911;
        const double A1 = 0.254829592, A2 = -0.284496736, A3 = 1.421413741, A4 = -1.453152027, A5 = 1.061405429;
        double t = 1 / (1 + (P * x));
        double polynomial = t * (A1 + (t * (A2 + (t * (A3 + (t * (A4 + (t * A5))))))));
        return polynomial * Math.Exp(-x * x);
    }

    private static void RequireValues(IReadOnlyList<double> sample, string name)
    {
        if (sample.Count == 0)
        {
            throw new ArgumentException("A sample needs at least one value.", name);
        }
    }
}
