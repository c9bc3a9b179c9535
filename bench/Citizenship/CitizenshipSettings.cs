using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// How long each scenario runs. The full run takes about a minute; <c>--quick</c> (a CI smoke test) a few
/// seconds per side, enough to check that every scenario completes with all its items, not to measure.
/// </summary>
internal sealed record CitizenshipSettings(bool Quick, TimeSpan ServiceDuration, string Only = "abcde")
{
    /// <summary>The bound on any one wait of any scenario: past it, the scenario is declared hung and fails.</summary>
    public TimeSpan HangTimeout => TimeSpan.FromSeconds(Quick ? 60 : 180);

    /// <summary>Items through the CPU-stage pipeline: half a second of one stage's work (a twentieth with <c>--quick</c>).</summary>
    public int PipelineItems(int stageMicroseconds) => (Quick ? 50_000 : 500_000) / stageMicroseconds;

    /// <summary>How long the pipeline runs while unrelated work is started next to it.</summary>
    public TimeSpan LatencyDuration => TimeSpan.FromSeconds(Quick ? 0.5 : 5);

    /// <summary>Quiet time before the low-rate service is measured: past our rescuer's idle second, even with <c>--quick</c>.</summary>
    public static TimeSpan ServiceSettle => TimeSpan.FromSeconds(1.2);

    /// <summary>Consumers that block on a continuation they woke (the issue's 50; fewer for the smoke test).</summary>
    public int BlockingConsumers => Quick ? 16 : 50;

    /// <summary>Round trips in which stage A sets thread state and stage B looks for it.</summary>
    public int ThreadStateRoundTrips => Quick ? 2_000 : 20_000;

    /// <summary>
    /// Parses <c>[--quick] [--service-seconds S] [--only LETTERS]</c>; null (and a message in <paramref name="error"/>) on anything
    /// else. S is the low-rate service's duration (default 5, or 1 with <c>--quick</c>); LETTERS picks scenarios (a-e, default all).
    /// </summary>
    public static CitizenshipSettings? TryParse(IReadOnlyList<string> args, out string? error)
    {
        bool quick = false;
        double? serviceSeconds = null;
        string only = "abcde";
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--service-seconds" && i + 1 < args.Count &&
                double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
                seconds >= 0.5 && seconds <= 3600)
            {
                serviceSeconds = seconds;
            }
            else if (args[i] == "--only" && i + 1 < args.Count && args[i + 1].Length > 0 && args[i + 1].All(c => c is >= 'a' and <= 'e'))
            {
                only = args[++i];
            }
            else
            {
                error = $"Unexpected argument '{args[i]}'.";
                return null;
            }
        }

        error = null;
        return new CitizenshipSettings(quick, TimeSpan.FromSeconds(serviceSeconds ?? (quick ? 1 : 5)), only);
    }

    /// <summary>The arguments that reproduce these settings (for the child process).</summary>
    public IEnumerable<string> ToArguments()
    {
        if (Quick)
        {
            yield return "--quick";
        }

        yield return "--service-seconds";
        yield return ServiceDuration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
        yield return "--only";
        yield return Only;
    }
}
