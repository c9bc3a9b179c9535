using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// The select's own cost read off a <see cref="SelectCostSuite"/> run, per channel kind: SelectAsync against ReadAsync
/// (the baseline of the case) and TrySelect against TryRead, as a ratio against issue 13's target
/// (<see cref="SelectTargets.MaxTimesPlainReadAsync"/>) and as the extra nanoseconds per item, with each select's bytes
/// per item. The rows share their fill and checks (a time F per item), which dilute the ratio towards 1: with R the
/// plain read's own time and D the select's extra, the printed (F + R + D) / (F + R) is at most the select's own
/// (R + D) / R, so a MISSED is certain and a met is not; the difference D is exact.
/// </summary>
internal static class SelectCostTargets
{
    /// <summary>One line per case that measured both pairs; cases missing a row yield nothing.</summary>
    public static IReadOnlyList<SelectCostRow> Evaluate(IEnumerable<BaselinePair> pairs)
    {
        var rows = new List<SelectCostRow>();
        foreach (IGrouping<string, BaselinePair> group in pairs
                     .Where(p => p.Candidate.Type == typeof(SelectCostSuite).FullName
                                 && p.Baseline.Method == nameof(SelectCostSuite.ReadAsync))
                     .GroupBy(p => p.Candidate.GroupKey))
        {
            MeasuredBenchmark readAsync = group.First().Baseline;
            MeasuredBenchmark? selectAsync = Find(group, nameof(SelectCostSuite.SelectAsync));
            MeasuredBenchmark? tryRead = Find(group, nameof(SelectCostSuite.TryRead));
            MeasuredBenchmark? trySelect = Find(group, nameof(SelectCostSuite.TrySelect));
            if (selectAsync is not null && tryRead is not null && trySelect is not null)
            {
                rows.Add(new SelectCostRow(readAsync.Parameters, new SelectCost(selectAsync, readAsync), new SelectCost(trySelect, tryRead)));
            }
        }

        return rows;
    }

    /// <summary>Prints one line per row of <see cref="Evaluate"/>; nothing when the run had no select-cost case.</summary>
    public static void Write(IEnumerable<BaselinePair> pairs, TextWriter output)
    {
        IReadOnlyList<SelectCostRow> rows = Evaluate(pairs);
        if (rows.Count == 0)
        {
            return;
        }

        output.WriteLine(
            $"Select own cost (issue 13: a two-clause select <= {Figures.Ratio(SelectTargets.MaxTimesPlainReadAsync)}x a plain read " +
            "on the same channel kind, 0 B/item), one thread, every item ready. The rows share their fill, so a ratio is a lower " +
            "bound of the select's own (MISSED is certain, met is not); +ns/item is exact:");
        foreach (SelectCostRow row in rows)
        {
            output.WriteLine(
                $"{nameof(SelectCostSuite)} {row.Parameters}: select own cost: {Describe(row.Async)}, {Describe(row.Sync)}");
        }
    }

    private static string Describe(SelectCost cost) =>
        $"{cost.Select.Method} = {Figures.Ratio(cost.Ratio)}x {cost.Plain.Method}{Verdict(cost.MeetsTarget)} " +
        $"({(cost.ExtraNanoseconds >= 0 ? "+" : string.Empty)}{Figures.Nanoseconds(cost.ExtraNanoseconds)} ns/item), " +
        $"{Figures.Bytes(cost.Select.BytesPerOperation)} B/item{Verdict(cost.MeetsAllocationTarget)}";

    private static string Verdict(bool? met) => met switch
    {
        true => " (met)",
        false => " (MISSED)",
        null => " (not measured)",
    };

    private static MeasuredBenchmark? Find(IEnumerable<BaselinePair> group, string method) =>
        group.FirstOrDefault(p => p.Candidate.Method == method)?.Candidate;
}
