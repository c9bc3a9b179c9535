using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Results;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// <c>diff &lt;baseline&gt; &lt;new&gt; [--threshold 15%] [--confidence 99%] [--fail-on-regression]</c>: compares two
/// JSON exports (or a run against bench/baseline) by each of our benchmarks' ratio to its BCL baseline and the
/// ratio's confidence interval in each run, prints the verdicts, and with --fail-on-regression exits 1 on any
/// regression.
/// </summary>
internal sealed record DiffCommand(
    string BaselinePath, string NewPath, double Threshold, bool FailOnRegression, double Confidence = RatioComparer.DefaultConfidence)
{
    public const string Usage = "diff <baseline.json|dir> <new.json|dir> [--threshold 15%] [--confidence 99%] [--fail-on-regression]";

    /// <summary>
    /// Default threshold: a change smaller than this is never reported, however tight the intervals (a 30% slowdown
    /// must still stand out, so it stays well below that); larger ones count only with the intervals apart.
    /// </summary>
    public const double DefaultThreshold = 0.15;

    /// <returns>0: no regression (or not asked to fail); 1: regression with --fail-on-regression; 2: bad input.</returns>
    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        try
        {
            return Parse(args).Run(output);
        }
        catch (Exception e) when (e is FormatException or IOException or JsonException)
        {
            output.WriteLine($"diff: {e.Message}");
            output.WriteLine("Usage: dotnet run -c Release --project bench -- " + Usage);
            return 2;
        }
    }

    /// <exception cref="FormatException">The arguments do not fit <see cref="Usage"/>.</exception>
    public static DiffCommand Parse(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        double threshold = DefaultThreshold;
        double confidence = RatioComparer.DefaultConfidence;
        bool failOnRegression = false;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--fail-on-regression":
                    failOnRegression = true;
                    break;
                case "--threshold" when i + 1 < args.Count:
                    threshold = ParsePercent(args[++i]);
                    break;
                case "--confidence" when i + 1 < args.Count:
                    confidence = ParsePercent(args[++i]);
                    if (confidence is <= 0 or >= 1)
                    {
                        throw new FormatException($"Confidence '{args[i]}' must be above 0% and below 100%.");
                    }

                    break;
                case string option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new FormatException($"Unknown or incomplete option '{option}'.");
                default:
                    paths.Add(args[i]);
                    break;
            }
        }

        return paths.Count == 2
            ? new DiffCommand(paths[0], paths[1], threshold, failOnRegression, confidence)
            : throw new FormatException("Expected two reports: the baseline and the new one.");
    }

    private int Run(TextWriter output)
    {
        Dictionary<string, BenchmarkRole> roles = JsonReport.RolesIn(typeof(DiffCommand).Assembly);
        IReadOnlyList<MeasuredBenchmark> before = JsonReport.Read(BaselinePath, roles, out int unknownBefore);
        IReadOnlyList<MeasuredBenchmark> after = JsonReport.Read(NewPath, roles, out int unknownAfter);
        IReadOnlyList<RatioChange> changes = RatioComparer.Compare(before, after, Threshold, Confidence);
        output.WriteLine($"Baseline: {BaselinePath}");
        output.WriteLine($"New:      {NewPath}");
        if (unknownBefore + unknownAfter > 0)
        {
            output.WriteLine(
                $"Skipped {unknownBefore} + {unknownAfter} report entries that failed or that this build has no benchmark for.");
        }

        RatioComparer.Write(changes, Threshold, output, Confidence);
        if (!changes.Any(change => change.Change is not null))
        {
            output.WriteLine("Nothing to compare: no benchmark of ours is in both reports.");
            return 2;
        }

        return FailOnRegression && changes.Any(change => change.IsRegression) ? 1 : 0;
    }

    /// <summary>"10%" and "10" both mean 10 percent.</summary>
    private static double ParsePercent(string text) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent >= 0
            ? percent / 100
            : throw new FormatException($"Threshold '{text}' is not a percentage such as 10%.");
}
