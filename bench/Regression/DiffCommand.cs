using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Model;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// <c>diff</c>: compares two JSON exports (or a run against bench/baseline) by each of our benchmarks' ratio
/// to its BCL baseline, prints the verdicts, and with --fail-on-regression exits 1 on any regression.
/// </summary>
internal static class DiffCommand
{
    /// <returns>0: no regression (or not asked to fail); 1: regression with --fail-on-regression; 2: bad input.</returns>
    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        try
        {
            DiffOptions options = DiffOptions.Parse(args);
            var catalog = BenchmarkRoleCatalog.FromAssembly(typeof(DiffCommand).Assembly);
            IReadOnlyList<MeasuredBenchmark> before = JsonReportReader.Read(options.BaselinePath, catalog, out int unknownBefore);
            IReadOnlyList<MeasuredBenchmark> after = JsonReportReader.Read(options.NewPath, catalog, out int unknownAfter);
            IReadOnlyList<RatioChange> changes = RatioComparer.Compare(before, after, options.Threshold);
            output.WriteLine($"Baseline: {options.BaselinePath}");
            output.WriteLine($"New:      {options.NewPath}");
            if (unknownBefore + unknownAfter > 0)
            {
                output.WriteLine(
                    $"Skipped {unknownBefore} + {unknownAfter} report entries that failed or that this build has no benchmark for.");
            }

            RegressionReport.Write(changes, options.Threshold, output);
            bool comparedAny = false;
            bool regressed = false;
            foreach (RatioChange change in changes)
            {
                comparedAny |= change.Change is not null;
                regressed |= change.IsRegression;
            }

            if (!comparedAny)
            {
                output.WriteLine("Nothing to compare: no benchmark of ours is in both reports.");
                return 2;
            }

            return regressed && options.FailOnRegression ? 1 : 0;
        }
        catch (Exception e) when (e is FormatException or IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            output.WriteLine($"diff: {e.Message}");
            output.WriteLine("Usage: dotnet run -c Release --project bench -- " + DiffOptions.Usage);
            return 2;
        }
    }
}
