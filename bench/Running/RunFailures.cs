using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>
/// What went wrong in a run: critical validation errors, benchmarks that failed to build, threw (a lost or
/// duplicated item throws) or produced no measurement. A run with any of these must not exit 0.
/// </summary>
internal static class RunFailures
{
    public static IReadOnlyList<string> Find(IEnumerable<Summary> summaries)
    {
        var failures = new List<string>();
        foreach (Summary summary in summaries)
        {
            if (summary.HasCriticalValidationErrors)
            {
                failures.AddRange(summary.ValidationErrors
                    .Where(error => error.IsCritical)
                    .Select(error => $"{summary.Title}: validation error: {error.Message}"));
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
                    failures.Add($"{benchmark.DisplayInfo}: {problem}");
                }
            }
        }

        return failures;
    }
}
