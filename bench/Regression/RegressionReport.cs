using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Reporting;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>Prints the regression check's table and a one-line tally.</summary>
internal static class RegressionReport
{
    public static void Write(IReadOnlyList<RatioChange> changes, double threshold, TextWriter output)
    {
        output.WriteLine(
            $"Ratio = our time / BCL baseline time, each within its own run. Threshold: {Figures.Threshold(threshold)}.");
        var table = new TextTable(
            "Benchmark", "Params", ">Ratio before", ">Ratio after", ">Change", ">B/op before", ">B/op after", "Verdict");
        foreach (RatioChange change in changes)
        {
            table.AddRow(
                change.Benchmark,
                change.Parameters,
                change.RatioBefore is double before ? Figures.Ratio(before) : "-",
                change.RatioAfter is double after ? Figures.Ratio(after) : "-",
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
}
