using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// <c>citizenship [--quick] [--service-seconds S] [--only LETTERS]</c>: five scenarios (what our continuation
/// scheduling costs the rest of the process), each run on <c>Channel.CreateBounded</c>, then on ours in
/// <see cref="ContinuationMode.ThreadPool"/> mode, then on ours in <see cref="ContinuationMode.Chained"/> mode,
/// back to back in this process; then the table with the ratios (the library's default mode is marked). Every
/// scenario checks its items and fails (exit code 1) on a lost item or a hang. (Run it without the AppContext switch
/// <c>RendezvousChannel.DisableContinuationChaining</c>, which would turn the Chained column into a second ThreadPool one.)
/// </summary>
internal static class CitizenshipCommand
{
    private const string Usage = "Usage: citizenship [--quick] [--service-seconds S] [--only LETTERS]   (S >= 0.5, default 5, or 1 with --quick; LETTERS: scenarios a-e, default all)";

    /// <summary>
    /// The scenarios, in the order they run (the table is sorted by name): the sync-over-async one last, since it
    /// grows the thread pool and every later scenario would inherit the extra workers.
    /// </summary>
    private static readonly (char Letter, Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> Run)[] s_scenarios =
    [
        ('a', PipelineScenario.Run),
        ('b', StartLatencyScenario.Run),
        ('d', IdleServiceScenario.Run),
        ('e', ThreadStateScenario.Run),
        ('c', BlockingConsumersScenario.Run),
    ];

    public static int Execute(string[] args, TextWriter output)
    {
        CitizenshipSettings? settings = CitizenshipSettings.TryParse(args, out string? error);
        if (settings is null)
        {
            output.WriteLine(error);
            output.WriteLine(Usage);
            return 2;
        }

        try
        {
            var bcl = new List<Measurement>();
            var threadPool = new List<Measurement>();
            var chained = new List<Measurement>();
            foreach ((char letter, Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> scenario) in s_scenarios)
            {
                if (!settings.Only.Contains(letter, StringComparison.Ordinal))
                {
                    continue;
                }

                // The BCL first: where a scenario leaves the pool grown, that favours ours, never the baseline.
                bcl.AddRange(RunScenario(scenario, ChannelSide.Bcl, settings));
                threadPool.AddRange(RunScenario(scenario, ChannelSide.OursThreadPool, settings));
                chained.AddRange(RunScenario(scenario, ChannelSide.OursChained, settings));
            }

            CitizenshipTable.Write(output, settings, bcl, threadPool, chained);
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or AggregateException)
        {
            output.WriteLine($"citizenship: FAILED: {e}");
            return 1;
        }
    }

    private static List<Measurement> RunScenario(
        Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> scenario, ChannelSide side, CitizenshipSettings settings)
    {
        long started = Stopwatch.GetTimestamp();
        List<Measurement> measurements = scenario(side, settings).ToList();
        foreach (string name in measurements.Select(m => m.Scenario).Distinct())
        {
            Console.Error.WriteLine($"  {name} ({side})");
        }

        Console.Error.WriteLine($"    {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return measurements;
    }
}
