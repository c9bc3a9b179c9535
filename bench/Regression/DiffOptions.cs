using System;
using System.Collections.Generic;
using System.Globalization;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>The <c>diff</c> command's arguments: <c>&lt;baseline&gt; &lt;new&gt; [--threshold 10%] [--fail-on-regression]</c>.</summary>
internal sealed record DiffOptions(string BaselinePath, string NewPath, double Threshold, bool FailOnRegression)
{
    public const string Usage =
        "diff <baseline.json|dir> <new.json|dir> [--threshold 10%] [--fail-on-regression]";

    /// <summary>Default threshold: the compare job's run-to-run ratio noise on a busy 2-core machine stays under it.</summary>
    public const double DefaultThreshold = 0.10;

    /// <exception cref="FormatException">The arguments do not fit <see cref="Usage"/>.</exception>
    public static DiffOptions Parse(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        double threshold = DefaultThreshold;
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
                case string option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new FormatException($"Unknown or incomplete option '{option}'.");
                default:
                    paths.Add(args[i]);
                    break;
            }
        }

        return paths.Count == 2
            ? new DiffOptions(paths[0], paths[1], threshold, failOnRegression)
            : throw new FormatException("Expected two reports: the baseline and the new one.");
    }

    /// <summary>"10%" and "10" both mean 10 percent.</summary>
    private static double ParsePercent(string text) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent >= 0
            ? percent / 100
            : throw new FormatException($"Threshold '{text}' is not a percentage such as 10%.");
}
