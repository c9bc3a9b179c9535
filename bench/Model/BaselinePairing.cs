using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>Pairs every non-baseline benchmark with the baseline of its class and parameter values.</summary>
internal static class BaselinePairing
{
    /// <summary>
    /// The pairs, in input order. A group without a measured baseline yields nothing: its ratios are unknown.
    /// </summary>
    public static IReadOnlyList<BaselinePair> Pair(IEnumerable<MeasuredBenchmark> benchmarks)
    {
        var pairs = new List<BaselinePair>();
        foreach (IGrouping<string, MeasuredBenchmark> group in benchmarks.GroupBy(b => b.GroupKey))
        {
            MeasuredBenchmark? baseline = group.FirstOrDefault(b => b.Role == BenchmarkRole.Baseline);
            if (baseline is null)
            {
                continue;
            }

            pairs.AddRange(group.Where(b => b.Role != BenchmarkRole.Baseline).Select(b => new BaselinePair(b, baseline)));
        }

        return pairs;
    }
}
