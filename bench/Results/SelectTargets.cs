using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// Issue 13's targets for select, read off a <see cref="SelectSuite"/> run: per case, each of our select rows
/// against the plain ReadAsync row (a hand-off on the same channel kind, no select) and against the BCL workaround
/// (the baseline), and its bytes per item. The targets are stated for a two-clause select, so only the cases with
/// two producers get a verdict; the others show their ratios. Each line also shows, never judged, the ratio to the
/// <see cref="SelectSuite.RoundRobin"/> row of its case (the same channels, producers and Mode without a select): the
/// select's own cost over the workload's structure.
/// </summary>
internal static class SelectTargets
{
    /// <summary>A two-clause select costs at most this many times a plain ReadAsync hand-off on the same channel kind.</summary>
    public const double MaxTimesPlainReadAsync = 1.5;

    /// <summary>...and at most this many times the <c>Task.WhenAny</c> workaround.</summary>
    public const double MaxTimesWorkaround = 0.25;

    /// <summary>
    /// ...and allocates nothing per item: under half a byte, which the table prints as 0. The harness's few tasks per
    /// invocation (producers, consumer) come to a small fraction of a byte per item; a select that allocated even
    /// once per item would cost at least 8.
    /// </summary>
    public const double MaxBytesPerItem = 0.5;

    /// <summary>The clause count the targets are stated for.</summary>
    public const int TargetClauses = 2;

    /// <summary>Each of our select rows with its ratios; groups without both reference rows yield nothing.</summary>
    public static IReadOnlyList<SelectTargetRow> Evaluate(IEnumerable<BaselinePair> pairs)
    {
        var rows = new List<SelectTargetRow>();
        foreach (IGrouping<string, BaselinePair> group in pairs
                     .Where(p => p.Candidate.Type == typeof(SelectSuite).FullName)
                     .GroupBy(p => p.Candidate.GroupKey))
        {
            MeasuredBenchmark? plain = group
                .FirstOrDefault(p => p.Candidate.Method == nameof(SelectSuite.PlainReadAsync))?.Candidate;
            if (plain is null)
            {
                continue;
            }

            MeasuredBenchmark? sameProducers = group
                .FirstOrDefault(p => p.Candidate.Method == nameof(SelectSuite.PlainReadAsyncSameProducers))?.Candidate;
            MeasuredBenchmark? roundRobin = group
                .FirstOrDefault(p => p.Candidate.Method == nameof(SelectSuite.RoundRobin))?.Candidate;
            bool judged = plain.Parameters.Split(", ").Contains($"{nameof(SelectSuite.Producers)}={TargetClauses}");
            foreach (BaselinePair pair in group.Where(p => p.Candidate.Role == BenchmarkRole.Ours))
            {
                rows.Add(new SelectTargetRow(
                    pair.Candidate,
                    pair.Candidate.NanosecondsPerOperation / plain.NanosecondsPerOperation,
                    pair.Ratio,
                    judged,
                    pair.Candidate.NanosecondsPerOperation / sameProducers?.NanosecondsPerOperation,
                    pair.Candidate.NanosecondsPerOperation / roundRobin?.NanosecondsPerOperation));
            }
        }

        return rows;
    }

    /// <summary>Prints one line per row of <see cref="Evaluate"/>; nothing when the run had no select case.</summary>
    public static void Write(IEnumerable<BaselinePair> pairs, TextWriter output)
    {
        IReadOnlyList<SelectTargetRow> rows = Evaluate(pairs);
        if (rows.Count == 0)
        {
            return;
        }

        output.WriteLine(
            $"Select targets (issue 13, for {TargetClauses} clauses): <= {Figures.Ratio(MaxTimesPlainReadAsync)}x a plain ReadAsync " +
            $"hand-off on the same channel kind, <= {Figures.Ratio(MaxTimesWorkaround)}x the Task.WhenAny workaround, 0 B/item.");
        foreach (SelectTargetRow row in rows)
        {
            MeasuredBenchmark select = row.Select;
            output.WriteLine(
                $"{select.ShortType} {select.Parameters}: {select.Method} {Figures.Nanoseconds(select.NanosecondsPerOperation)} ns/item = " +
                $"{Figures.Ratio(row.TimesPlainReadAsync)}x plain ReadAsync{Verdict(row.MeetsPlainReadAsyncTarget, row.IsJudged)}" +
                (row.TimesSameProducers is double fair ? $" ({Figures.Ratio(fair)}x with as many producers)" : string.Empty) +
                (row.TimesRoundRobin is double own ? $" ({Figures.Ratio(own)}x round-robin ReadAsync, the same workload without a select)" : string.Empty) + ", " +
                $"{Figures.Ratio(row.TimesWorkaround)}x the workaround{Verdict(row.MeetsWorkaroundTarget, row.IsJudged)}, " +
                $"{Figures.Bytes(select.BytesPerOperation)} B/item{Verdict(row.MeetsAllocationTarget, row.IsJudged)}");
        }
    }

    private static string Verdict(bool? met, bool judged) =>
        !judged ? string.Empty
        : met switch
        {
            true => " (met)",
            false => " (MISSED)",
            null => " (not measured)",
        };
}
