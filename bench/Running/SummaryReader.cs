using System.Collections.Generic;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Rendezvous.Channels.Benchmarks.Model;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>Turns BenchmarkDotNet's live summaries into <see cref="MeasuredBenchmark"/> rows.</summary>
internal static class SummaryReader
{
    /// <summary>Every benchmark case of <paramref name="summary"/> that produced a result; failed ones are skipped.</summary>
    public static IEnumerable<MeasuredBenchmark> Read(Summary summary)
    {
        foreach (BenchmarkReport report in summary.Reports)
        {
            if (report.ResultStatistics is null)
            {
                continue;
            }

            BenchmarkCase benchmark = report.BenchmarkCase;
            yield return new MeasuredBenchmark(
                benchmark.Descriptor.Type.FullName ?? benchmark.Descriptor.Type.Name,
                benchmark.Descriptor.WorkloadMethod.Name,
                benchmark.Parameters.PrintInfo,
                BenchmarkRoles.Of(benchmark.Descriptor.Baseline, benchmark.Descriptor.Categories),
                report.ResultStatistics.Mean,
                MetricOrNull(report, MetricIds.AllocatedBytes),
                MetricOrNull(report, MetricIds.LockContentions));
        }
    }

    private static double? MetricOrNull(BenchmarkReport report, string id) =>
        report.Metrics.TryGetValue(id, out Metric? metric) ? metric.Value : null;
}
