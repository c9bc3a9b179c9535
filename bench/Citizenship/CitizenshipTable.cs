using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Prints the measurements as a markdown table, one row per metric, with the ratio ours/BCL.</summary>
internal static class CitizenshipTable
{
    public static void Write(
        TextWriter output,
        CitizenshipSettings settings,
        IReadOnlyList<Measurement> bcl,
        IReadOnlyList<Measurement> ours,
        IReadOnlyList<Measurement> threadPool)
    {
        Dictionary<(string, string), Measurement> oursByKey = ours.ToDictionary(m => (m.Scenario, m.Metric));
        Dictionary<(string, string), Measurement> threadPoolByKey = threadPool.ToDictionary(m => (m.Scenario, m.Metric));
        output.WriteLine(FormattableString.Invariant(
            $"Citizenship: ours vs Channel.CreateBounded, back to back in one process, {Environment.ProcessorCount} cores, default thread pool{(settings.Quick ? ", --quick (a smoke test: these numbers measure nothing)" : "")}."));
        output.WriteLine();
        output.WriteLine("| scenario | metric | BCL | ours (default: Chained) | ours/BCL | ours, ThreadPool | ThreadPool/BCL |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        string? previousScenario = null;
        foreach (Measurement baseline in bcl.OrderBy(m => m.Scenario, StringComparer.Ordinal))
        {
            Measurement mine = oursByKey[(baseline.Scenario, baseline.Metric)];
            Measurement link = threadPoolByKey[(baseline.Scenario, baseline.Metric)];
            string scenario = baseline.Scenario == previousScenario ? "" : baseline.Scenario;
            previousScenario = baseline.Scenario;
            output.WriteLine($"| {scenario} | {baseline.Metric} | {baseline.Format()} | {mine.Format()} | {Ratio(mine.Value, baseline.Value)} | {link.Format()} | {Ratio(link.Value, baseline.Value)} |");
        }

        output.WriteLine();
        output.WriteLine("ours/BCL above 1 is worse for times, CPU, context switches and leaks, better for items per second and overlap.");
        output.WriteLine("\"ours (default: Chained)\": channels created with default options (ContinuationMode.Chained; the AppContext switch");
        output.WriteLine("RendezvousChannel.DisableContinuationChaining would make them ThreadPool); \"ours, ThreadPool\": created with ContinuationMode.ThreadPool.");
    }

    private static string Ratio(double ours, double bcl) =>
        bcl == 0 || double.IsNaN(bcl) || double.IsNaN(ours) ? "—"
        : (ours / bcl).ToString(ours / bcl < 100 ? "F2" : "N0", CultureInfo.InvariantCulture);
}
