using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;
using Perfolizer.Horology;
using Rendezvous.Channels.Benchmarks.Results;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>
/// Runs benchmarks through BenchmarkSwitcher with the job of a <see cref="RunMode"/>, then prints the comparison
/// table and every failure. BenchmarkDotNet's default toolchain builds each benchmark process from this project,
/// which it finds by the assembly's name (RendezvousChannel.Benchmarks.csproj).
/// </summary>
internal static class BenchmarkRun
{
    /// <summary>
    /// Short but still statistical: three processes per benchmark, each 3 warm-up and 5 measured iterations of
    /// 250 ms. Launches differ more than iterations do (code layout, thread placement), so the 15 measurements'
    /// standard error carries that spread into the intervals diff judges changes by. About 12 s per benchmark case.
    /// </summary>
    public static Job CompareJob { get; } = Job.Default
        .WithId("Compare")
        .WithLaunchCount(3)
        .WithWarmupCount(3)
        .WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));

    /// <returns>0 when every selected benchmark ran; 1 when any failed (or, in dry mode, when none ran).</returns>
    public static int Execute(RunMode mode, string[] args, TextWriter output)
    {
        // A fresh folder per run: a regression check must never mix in reports left by an earlier run.
        string artifactsPath = Path.Combine(
            "BenchmarkDotNet.Artifacts",
            $"{mode.ToString().ToLowerInvariant()}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Job job = mode switch
        {
            RunMode.Compare => CompareJob,
            RunMode.Dry => Job.Dry.WithId("Dry"),
            RunMode.Full => Job.Default.WithId("Full"),
            _ => Job.Default,
        };

        // DefaultConfig (console, markdown/HTML/CSV exporters, the default validators) plus the brief JSON report
        // that diff reads. AsDefault: job options on the command line (--iterationCount 3, --job short ...)
        // modify or replace this job instead of adding a second one next to it.
        IConfig config = DefaultConfig.Instance
            .AddExporter(JsonExporter.Brief)
            .WithArtifactsPath(artifactsPath)
            .AddJob(job.AsDefault());

        // Without a filter BenchmarkSwitcher asks interactively which benchmarks to run; CI has no terminal.
        string[] switcherArgs = mode == RunMode.PassThrough || args.Contains("--filter") || args.Contains("-f")
            ? args
            : [.. args, "--filter", "*"];
        List<Summary> summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(BenchmarkRun).Assembly).Run(switcherArgs, config)];
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

            ComparisonTable.Write(summaries.SelectMany(s => s.Reports).SelectMany(Measured), output);
            string results = Path.Combine(artifactsPath, "results");
            output.WriteLine($"JSON reports: {results}");
            output.WriteLine($"Regression check: dotnet run -c Release --project bench -- diff bench/baseline {results}");
        }

        List<string> failures = [.. summaries.SelectMany(Failures)];
        foreach (string failure in failures)
        {
            output.WriteLine("FAILED: " + failure);
        }

        output.WriteLine(failures.Count == 0
            ? $"All {summaries.Sum(s => s.BenchmarksCases.Length)} benchmark cases ran."
            : $"{failures.Count} benchmark case(s) failed.");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>A case's figures for the table; nothing for a case that produced no result.</summary>
    private static IEnumerable<MeasuredBenchmark> Measured(BenchmarkReport report)
    {
        if (report.ResultStatistics is null)
        {
            yield break;
        }

        BenchmarkCase benchmark = report.BenchmarkCase;
        yield return new MeasuredBenchmark(
            benchmark.Descriptor.Type.FullName ?? benchmark.Descriptor.Type.Name,
            benchmark.Descriptor.WorkloadMethod.Name,
            MeasuredBenchmark.ParametersText(benchmark.Parameters.PrintInfo),
            MeasuredBenchmark.RoleOf(benchmark.Descriptor.Baseline, benchmark.Descriptor.Categories),
            report.ResultStatistics.Mean,
            MetricOrNull(report, "Allocated Memory"), // MemoryDiagnoser's bytes per operation
            MetricOrNull(report, "LockContentionCount")); // ThreadingDiagnoser's Monitor contentions per operation
    }

    private static double? MetricOrNull(BenchmarkReport report, string id) =>
        report.Metrics.TryGetValue(id, out Metric? metric) ? metric.Value : null;

    /// <summary>
    /// What went wrong in a run: critical validation errors, benchmarks that failed to build, threw (a lost or
    /// duplicated item throws) or produced no measurement. A run with any of these must not exit 0.
    /// </summary>
    private static IEnumerable<string> Failures(Summary summary)
    {
        foreach (ValidationError error in summary.ValidationErrors.Where(error => error.IsCritical))
        {
            yield return $"{summary.Title}: validation error: {error.Message}";
        }

        foreach (BenchmarkCase benchmark in summary.BenchmarksCases)
        {
            BenchmarkReport? report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase == benchmark);
            string? problem = report switch
            {
                null => "no report",
                { BuildResult.IsBuildSuccess: false } => "build failed: " + report.BuildResult.ErrorMessage,
                { Success: false } => "failed (threw, crashed or was killed; see its log above)",
                { ResultStatistics: null } => "produced no measurements",
                _ => null,
            };
            if (problem is not null)
            {
                yield return $"{benchmark.DisplayInfo}: {problem}";
            }
        }
    }
}
