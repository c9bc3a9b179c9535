using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Results;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// The regression check's logic, as a pure function of two sets of measurements, and its printout. It compares
/// each of our benchmarks by its ratio to the BCL baseline measured in the same run, not by absolute time: a
/// slower or busier machine slows both sides of a ratio alike, so the ratio moves only when our code's cost
/// moves relative to the BCL's.
/// </summary>
internal static class RatioComparer
{
    /// <summary>Extra allocation (bytes per operation) tolerated beyond the threshold: amortized harness noise.</summary>
    private const double AllocationSlackBytes = 1.0;

    /// <summary>The default confidence level of the ratios' intervals.</summary>
    public const double DefaultConfidence = 0.99;

    /// <param name="before">The baseline run (e.g. bench/baseline).</param>
    /// <param name="after">The run under test.</param>
    /// <param name="threshold">Relative change that counts, e.g. 0.10 for 10%.</param>
    /// <param name="confidence">The confidence level of each ratio's interval (see <see cref="Judge"/>).</param>
    /// <returns>One change per benchmark of ours in either run: baseline order first, then new ones.</returns>
    public static IReadOnlyList<RatioChange> Compare(
        IEnumerable<MeasuredBenchmark> before, IEnumerable<MeasuredBenchmark> after, double threshold, double confidence = DefaultConfidence)
    {
        Dictionary<string, BaselinePair> beforePairs = OursByKey(before);
        Dictionary<string, BaselinePair> afterPairs = OursByKey(after);
        return beforePairs.Keys
            .Concat(afterPairs.Keys.Where(key => !beforePairs.ContainsKey(key)))
            .Select(key => Judge(beforePairs.GetValueOrDefault(key), afterPairs.GetValueOrDefault(key), threshold, confidence))
            .ToList();
    }

    /// <summary>
    /// The verdict for one benchmark; either side may be missing. A ratio is slower (or faster) only when it moved
    /// by more than <paramref name="threshold"/> AND its confidence intervals in the two runs do not overlap: a move
    /// the runs' own spread can explain is <see cref="ChangeVerdict.Inconclusive"/>, not a regression. Without
    /// standard errors (older reports), the threshold alone decides.
    /// </summary>
    public static RatioChange Judge(BaselinePair? before, BaselinePair? after, double threshold, double confidence = DefaultConfidence)
    {
        MeasuredBenchmark named = (after ?? before)!.Candidate;
        (double Lower, double Upper)? intervalBefore = before?.RatioInterval(confidence);
        (double Lower, double Upper)? intervalAfter = after?.RatioInterval(confidence);
        bool apart = intervalBefore is not { } b || intervalAfter is not { } a || a.Lower > b.Upper || a.Upper < b.Lower;
        ChangeVerdict verdict = (before, after) switch
        {
            (null, _) => ChangeVerdict.OnlyInNew,
            (_, null) => ChangeVerdict.OnlyInBaseline,
            _ when after.Ratio > before.Ratio * (1 + threshold) && apart => ChangeVerdict.Slower,
            _ when AllocatesMore(before.Candidate.BytesPerOperation, after.Candidate.BytesPerOperation, threshold) =>
                ChangeVerdict.MoreAllocations,
            // Symmetric in log space: "faster" needs the same factor as "slower", so noise is judged evenly.
            _ when after.Ratio < before.Ratio / (1 + threshold) && apart => ChangeVerdict.Faster,
            _ when after.Ratio > before.Ratio * (1 + threshold) || after.Ratio < before.Ratio / (1 + threshold) =>
                ChangeVerdict.Inconclusive,
            _ => ChangeVerdict.Same,
        };
        return new RatioChange(
            $"{named.ShortType}.{named.Method}",
            named.Parameters,
            before?.Ratio,
            after?.Ratio,
            before?.Candidate.BytesPerOperation,
            after?.Candidate.BytesPerOperation,
            verdict,
            intervalBefore,
            intervalAfter);
    }

    /// <summary>Prints the verdicts as a table and a one-line tally.</summary>
    public static void Write(IReadOnlyList<RatioChange> changes, double threshold, TextWriter output, double confidence = DefaultConfidence)
    {
        output.WriteLine(
            $"Ratio = our time / BCL baseline time, each within its own run. Threshold: {Figures.Threshold(threshold)}; " +
            $"a change counts only if the two runs' {Figures.Threshold(confidence)} intervals of the ratio do not overlap.");
        var table = new TextTable(
            "Benchmark", "Params", ">Ratio before", "Interval before", ">Ratio after", "Interval after", ">Change", ">B/op before", ">B/op after", "Verdict");
        foreach (RatioChange change in changes)
        {
            table.AddRow(
                change.Benchmark,
                change.Parameters,
                change.RatioBefore is double before ? Figures.Ratio(before) : "-",
                Interval(change.IntervalBefore),
                change.RatioAfter is double after ? Figures.Ratio(after) : "-",
                Interval(change.IntervalAfter),
                change.Change is double relative ? Figures.Percent(relative) : "-",
                Figures.Bytes(change.BytesBefore),
                Figures.Bytes(change.BytesAfter),
                change.IsRegression ? change.Verdict.ToString().ToUpperInvariant() : change.Verdict.ToString());
        }

        table.Write(output);
        IEnumerable<string> tally = changes
            .GroupBy(c => c.Verdict)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count()} {g.Key}");
        output.WriteLine($"{string.Join(", ", tally)}; {changes.Count(c => c.IsRegression)} regression(s).");
    }

    private static string Interval((double Lower, double Upper)? interval) =>
        interval is { } i ? $"{Figures.Ratio(i.Lower)}-{Figures.Ratio(i.Upper)}" : "-";

    private static bool AllocatesMore(double? before, double? after, double threshold) =>
        before is double b && after is double a && a > (b * (1 + threshold)) + AllocationSlackBytes;

    private static Dictionary<string, BaselinePair> OursByKey(IEnumerable<MeasuredBenchmark> benchmarks) =>
        BaselinePair.PairAll(benchmarks)
            .Where(pair => pair.Candidate.Role == BenchmarkRole.Ours)
            .ToDictionary(pair => pair.Candidate.Key);
}
