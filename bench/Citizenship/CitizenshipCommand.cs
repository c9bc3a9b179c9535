using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// <c>citizenship [--quick] [--service-seconds S]</c>: five scenarios (what our continuation
/// scheduling costs the rest of the process), each run on <c>Channel.CreateBounded</c> and then on ours, back to
/// back in this process, and once more on ours in a child process with continuation chaining switched off; then
/// the table with the ratios. Every scenario checks its items and fails (exit code 1) on a lost item or a hang.
/// </summary>
/// <remarks>
/// The chaining switch is an AppContext switch the library reads once per process, hence the child process
/// (<c>citizenship-child</c>, the same executable), which sets it before its first channel operation and prints
/// its measurements as tab-separated lines for the parent to read.
/// </remarks>
internal static class CitizenshipCommand
{
    public const string ChildCommand = "citizenship-child";

    private const string ChainingSwitch = "RendezvousChannel.DisableContinuationChaining";

    private const string Usage = "Usage: citizenship [--quick] [--service-seconds S]   (S >= 0.5, default 5, or 1 with --quick)";

    /// <summary>
    /// The scenarios, in the order they run (the table is sorted by name): the sync-over-async one last, since it
    /// grows the thread pool and every later scenario would inherit the extra workers.
    /// </summary>
    private static readonly Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>>[] s_scenarios =
    [
        PipelineScenario.Run,
        StartLatencyScenario.Run,
        IdleServiceScenario.Run,
        ThreadStateScenario.Run,
        BlockingConsumersScenario.Run,
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
            var ours = new List<Measurement>();
            foreach (Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> scenario in s_scenarios)
            {
                // The BCL first: where a scenario leaves the pool grown, that favours ours, never the baseline.
                bcl.AddRange(RunScenario(scenario, ChannelSide.Bcl, settings));
                ours.AddRange(RunScenario(scenario, ChannelSide.Ours, settings));
            }

            IReadOnlyList<Measurement> chainingOff = RunChild(settings);
            CitizenshipTable.Write(output, settings, bcl, ours, chainingOff);
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or AggregateException)
        {
            output.WriteLine($"citizenship: FAILED: {e}");
            return 1;
        }
    }

    /// <summary>The child process: every scenario on ours, with chaining off; one line per measurement.</summary>
    public static int ExecuteChild(string[] args, TextWriter output)
    {
        // Before anything touches a channel: the library reads the switch once, on its first chained hand-off.
        AppContext.SetSwitch(ChainingSwitch, true);
        CitizenshipSettings? settings = CitizenshipSettings.TryParse(args, out string? error);
        if (settings is null)
        {
            Console.Error.WriteLine(error);
            return 2;
        }

        try
        {
            foreach (Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> scenario in s_scenarios)
            {
                foreach (Measurement measurement in RunScenario(scenario, ChannelSide.Ours, settings))
                {
                    output.WriteLine(measurement.ToLine());
                }
            }

            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or AggregateException)
        {
            Console.Error.WriteLine($"{ChildCommand}: FAILED: {e}");
            return 1;
        }
    }

    private static List<Measurement> RunScenario(
        Func<ChannelSide, CitizenshipSettings, IEnumerable<Measurement>> scenario, ChannelSide side, CitizenshipSettings settings)
    {
        long started = Stopwatch.GetTimestamp();
        List<Measurement> measurements = scenario(side, settings).ToList();
        string chaining = AppContext.TryGetSwitch(ChainingSwitch, out bool off) && off ? ", chaining off" : "";
        foreach (string name in measurements.Select(m => m.Scenario).Distinct())
        {
            Console.Error.WriteLine($"  {name} ({side}{chaining})");
        }

        Console.Error.WriteLine($"    {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        return measurements;
    }

    /// <summary>Runs this executable as <see cref="ChildCommand"/> and reads back its measurements.</summary>
    private static List<Measurement> RunChild(CitizenshipSettings settings)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            // Started as `dotnet <bench dll>`: the child needs the dll too.
            start.ArgumentList.Add(typeof(CitizenshipCommand).Assembly.Location);
        }

        start.ArgumentList.Add(ChildCommand);
        foreach (string argument in settings.ToArguments())
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        TimeSpan timeout = settings.HangTimeout * 4;
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException($"{ChildCommand}: not done within {timeout.TotalSeconds} s.");
        }

        string lines = Bounded.Wait(output, settings.HangTimeout, ChildCommand);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{ChildCommand} exited with code {child.ExitCode}.");
        }

        return lines.Split('\n').Select(line => Measurement.TryParse(line.TrimEnd('\r'))).OfType<Measurement>().ToList();
    }
}
