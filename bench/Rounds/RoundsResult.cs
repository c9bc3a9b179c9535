using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Rounds;

/// <summary>Per-round nanoseconds per operation of one workload, ours and baseline measured back to back.</summary>
internal sealed class RoundsResult(string name, IReadOnlyList<double> ours, IReadOnlyList<double> baseline)
{
    public string Name { get; } = name;

    public double OursMedian { get; } = Median(ours);

    public double BaselineMedian { get; } = Median(baseline);

    /// <summary>Ours / baseline within each round: the two halves of a round share the machine's mood.</summary>
    public IReadOnlyList<double> Ratios { get; } = ours.Zip(baseline, (o, b) => o / b).ToList();

    /// <summary>The median of the per-round ratios: the figure the speed targets are stated in.</summary>
    public double RatioMedian => Median(Ratios);

    public double RatioQuartile1 => Percentile(Ratios, 0.25);

    public double RatioQuartile3 => Percentile(Ratios, 0.75);

    /// <summary>The middle value (the mean of the two middle values of an even count).</summary>
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    /// <summary>Linear interpolation between closest ranks; <paramref name="fraction"/> in [0, 1].</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. values.OrderBy(v => v)];
        double rank = fraction * (sorted.Length - 1);
        int below = (int)rank;
        int above = System.Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
