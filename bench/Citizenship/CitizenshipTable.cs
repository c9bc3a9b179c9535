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
        IReadOnlyList<Measurement> threadPool,
        IReadOnlyList<Measurement> chained)
    {
        Dictionary<(string, string), Measurement> threadPoolByKey = threadPool.ToDictionary(m => (m.Scenario, m.Metric));
        Dictionary<(string, string), Measurement> chainedByKey = chained.ToDictionary(m => (m.Scenario, m.Metric));
        output.WriteLine(FormattableString.Invariant(
            $"Citizenship: ours vs Channel.CreateBounded, back to back in one process, {Environment.ProcessorCount} cores, default thread pool{(settings.Quick ? ", --quick (a smoke test: these numbers measure nothing)" : "")}."));
        output.WriteLine();
        string threadPoolName = Name(ContinuationMode.ThreadPool), chainedName = Name(ContinuationMode.Chained);
        output.WriteLine($"| scenario | metric | BCL | {threadPoolName} | ThreadPool/BCL | {chainedName} | Chained/BCL |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        string? previousScenario = null;
        foreach (Measurement baseline in bcl.OrderBy(m => m.Scenario, StringComparer.Ordinal))
        {
            Measurement pooled = threadPoolByKey[(baseline.Scenario, baseline.Metric)];
            Measurement linked = chainedByKey[(baseline.Scenario, baseline.Metric)];
            string scenario = baseline.Scenario == previousScenario ? "" : baseline.Scenario;
            previousScenario = baseline.Scenario;
            output.WriteLine($"| {scenario} | {baseline.Metric} | {baseline.Format()} | {pooled.Format()} | {Ratio(pooled.Value, baseline.Value)} | {linked.Format()} | {Ratio(linked.Value, baseline.Value)} |");
        }

        output.WriteLine();
        output.WriteLine("ours/BCL above 1 is worse for times, CPU, context switches and leaks, better for items per second and overlap.");
        output.WriteLine($"Ours created with ContinuationMode.ThreadPool, then Chained; the library's default is {SideChannels.DefaultMode} (the AppContext");
        output.WriteLine("switch RendezvousChannel.DisableContinuationChaining would turn the Chained column into a second ThreadPool one).");
    }

    private static string Name(ContinuationMode mode) =>
        mode == SideChannels.DefaultMode ? $"ours, {mode} (default)" : $"ours, {mode}";

    private static string Ratio(double ours, double bcl) =>
        bcl == 0 || double.IsNaN(bcl) || double.IsNaN(ours) ? "—"
        : (ours / bcl).ToString(ours / bcl < 100 ? "F2" : "N0", CultureInfo.InvariantCulture);
}
