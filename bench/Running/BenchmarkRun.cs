using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Reporting;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>Runs benchmarks through BenchmarkSwitcher, then reports the comparison and any failure.</summary>
internal static class BenchmarkRun
{
    /// <returns>0 when every selected benchmark ran; 1 when any failed (or, in dry mode, when none ran).</returns>
    public static int Execute(RunMode mode, string[] args, TextWriter output)
    {
        // A fresh folder per run: a regression check must never mix in reports left by an earlier run.
        string artifactsPath = Path.Combine(
            "BenchmarkDotNet.Artifacts",
            $"{mode.ToString().ToLowerInvariant()}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        IConfig config = RunConfigs.For(mode, artifactsPath);

        // Without a filter BenchmarkSwitcher asks interactively which benchmarks to run; CI has no terminal.
        string[] switcherArgs = mode == RunMode.PassThrough || args.Contains("--filter") || args.Contains("-f")
            ? args
            : [.. args, "--filter", "*"];
        List<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchmarkRun).Assembly)
            .Run(switcherArgs, config)
            .ToList();
        if (summaries.Count == 0)
        {
            // Legitimate for --list or --help; a dry run that runs nothing, though, checks nothing.
            if (mode != RunMode.PassThrough)
            {
                output.WriteLine("No benchmark ran.");
            }

            return mode == RunMode.Dry ? 1 : 0;
        }

        if (mode != RunMode.Dry)
        {
            output.WriteLine();
            output.WriteLine($"// * Comparison with the BCL ({mode} job) *");
            foreach (string line in summaries[0].HostEnvironmentInfo.ToFormattedString())
            {
                output.WriteLine(line);
            }

            ComparisonTable.Write(summaries.SelectMany(SummaryReader.Read), output);
            string results = Path.Combine(artifactsPath, "results");
            output.WriteLine($"JSON reports: {results}");
            output.WriteLine($"Regression check: dotnet run -c Release --project bench -- diff bench/baseline {results}");
        }

        IReadOnlyList<string> failures = RunFailures.Find(summaries);
        foreach (string failure in failures)
        {
            output.WriteLine("FAILED: " + failure);
        }

        output.WriteLine(failures.Count == 0
            ? $"All {summaries.Sum(s => s.BenchmarksCases.Length)} benchmark cases ran."
            : $"{failures.Count} benchmark case(s) failed.");
        return failures.Count == 0 ? 0 : 1;
    }
}
