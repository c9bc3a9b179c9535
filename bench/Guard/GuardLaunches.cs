using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// Runs the guard's measurement in several fresh processes ("launches") and pools their rounds. Within one process
/// the rounds agree with each other better than processes agree with each other: how tiered compilation laid out
/// the code, how many pool threads the process grew, how often a buffered ring's producer and consumer end up
/// side by side on both cores. A baseline and a run that each pool a few launches carry that spread in their
/// distributions instead of betting each on one process.
/// </summary>
/// <remarks>
/// Each launch runs with two runtime knobs that take process-to-process drift out of what is measured, on both
/// sides alike: <c>DOTNET_TieredPGO=0</c> (no profile-guided recompilation, whose outcome varies with what the
/// instrumented tier happened to see) and <c>DOTNET_HillClimbing_Disable=1</c> (the thread pool does not keep
/// retuning its thread count while rounds run). <c>RENDEZVOUS_BENCH_SLOWDOWN</c> passes through.
/// </remarks>
internal static class GuardLaunches
{
    /// <summary>The runtime settings every launch gets (documented in bench/README.md).</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_TieredPGO"] = "0",
        ["DOTNET_HillClimbing_Disable"] = "1",
    };

    /// <summary>Runs <paramref name="launches"/> child processes one after the other and pools their reports.</summary>
    /// <exception cref="InvalidOperationException">A launch failed (its own output says why).</exception>
    public static GuardReport Run(int launches, int rounds, string? filter, TextWriter progress)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"rendezvous-guard-{System.Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var reports = new List<GuardReport>(launches);
            for (int launch = 1; launch <= launches; launch++)
            {
                string file = Path.Combine(folder, $"launch-{launch}.json");
                progress.WriteLine($"Launch {launch} of {launches}:");
                progress.Flush();
                using Process child = Process.Start(StartInfo(file, rounds, filter))
                    ?? throw new InvalidOperationException("Could not start a guard launch.");
                child.WaitForExit();
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException($"Guard launch {launch} exited with code {child.ExitCode}.");
                }

                reports.Add(GuardReport.Read(file));
            }

            return GuardReport.Pool(reports);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ProcessStartInfo StartInfo(string reportFile, int rounds, string? filter)
    {
        // This very program again: through the dotnet host when it was started as "dotnet <dll>", else its apphost.
        string host = System.Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(GuardLaunches).Assembly.Location);
        }

        foreach (string argument in (string[])["guard", GuardCommand.LaunchOption, reportFile, "--rounds", rounds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        if (filter is not null)
        {
            start.ArgumentList.Add("--filter");
            start.ArgumentList.Add(filter);
        }

        foreach ((string name, string value) in Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
