using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Rounds;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// <c>guard [--record] [--baseline FILE] [--launches L] [--rounds N] [--filter TEXT] [--threshold 20%] [--alpha 1%] [--dry]</c>:
/// the regression guard. Measures every case in <c>L</c> fresh processes (<see cref="GuardLaunches"/>, each running
/// <see cref="GuardMeasurement"/>), writes the pooled report under BenchmarkDotNet.Artifacts/, then either records
/// it as the baseline (<c>--record</c>) or judges it against the baseline (<see cref="GuardRule"/>) and exits 1 on a
/// regression. <c>--dry</c> (CI) runs two rounds in this process without a warm-up and never judges: it checks
/// that every case runs and that the baseline reads.
/// </summary>
internal sealed record GuardCommand(
    bool Record, string BaselinePath, int Rounds, string? Filter, double Threshold, double Alpha, bool Dry,
    int? Launches = null, string? LaunchReport = null, string? ReportPath = null)
{
    public const string Usage =
        "guard [--record] [--baseline FILE] [--launches L] [--rounds N] [--filter TEXT] [--threshold 20%] [--alpha 1%] [--dry] [--report RUN.json]";

    /// <summary>Rounds per launch by default: about 17 s per launch here, warm-up included.</summary>
    public const int DefaultRounds = 20;

    /// <summary>
    /// Processes per check by default (<see cref="GuardLaunches"/>): about a minute and a half here. More launches
    /// narrow what a noisy case can be judged by (<see cref="GuardRule.Bar"/>) as one over their square root.
    /// </summary>
    public const int DefaultLaunches = 5;

    /// <summary>Processes per recording by default: a baseline is made rarely and serves many checks, so it gets twice as many.</summary>
    public const int DefaultRecordLaunches = 10;

    /// <summary>How a launch is told to measure and write its report to a file, rather than judge (internal).</summary>
    public const string LaunchOption = "--launch";

    private const int DryRounds = 2;

    /// <summary>Tiered compilation settles within a second or two (both sides several times slower until then, their ratio near 1).</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(3);

    /// <returns>0: no regression (or recorded, or a dry pass); 1: a regression; 2: bad input or no baseline.</returns>
    public static int Execute(IReadOnlyList<string> args, TextWriter output)
    {
        GuardCommand command;
        try
        {
            command = Parse(args);
        }
        catch (FormatException e)
        {
            output.WriteLine($"guard: {e.Message}");
            output.WriteLine("Usage: dotnet run -c Release --project bench -- " + Usage);
            return 2;
        }

        return command.Run(output);
    }

    /// <exception cref="FormatException">The arguments do not fit <see cref="Usage"/>.</exception>
    public static GuardCommand Parse(IReadOnlyList<string> args)
    {
        var command = new GuardCommand(false, GuardReport.DefaultPath, DefaultRounds, null, GuardRule.DefaultThreshold, GuardRule.DefaultAlpha, false);
        for (int i = 0; i < args.Count; i++)
        {
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            command = (args[i], value) switch
            {
                ("--record", _) => command with { Record = true },
                ("--dry", _) => command with { Dry = true, Rounds = DryRounds },
                ("--baseline", string path) => command with { BaselinePath = path },
                ("--filter", string text) => command with { Filter = text },
                ("--rounds", string text) => command with { Rounds = ParseCount(text, "Rounds") },
                ("--launches", string text) => command with { Launches = ParseCount(text, "Launches") },
                (LaunchOption, string file) => command with { LaunchReport = file },
                ("--report", string file) => command with { ReportPath = file },
                ("--threshold", string text) => command with { Threshold = ParsePercent(text, "Threshold", upTo: 10) },
                ("--alpha", string text) => command with { Alpha = ParsePercent(text, "Alpha", upTo: 0.5) },
                _ => throw new FormatException($"Unknown or incomplete argument '{args[i]}'."),
            };
            if (args[i] is not ("--record" or "--dry"))
            {
                i++;
            }
        }

        return (command.Record, command.Dry, command.ReportPath) switch
        {
            (true, true, _) => throw new FormatException("A dry pass measures nothing worth recording: --record and --dry exclude each other."),
            (_, _, not null) when command.Record || command.Dry => throw new FormatException("--report judges a saved run: not with --record or --dry."),
            _ => command,
        };
    }

    private int Run(TextWriter output)
    {
        GuardCase[] cases = [.. GuardCase.All.Where(c => Filter is null || c.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase))];
        if (cases.Length == 0)
        {
            output.WriteLine($"guard: no case matches '{Filter}'. Cases: {string.Join(", ", GuardCase.All.Select(c => c.Name))}.");
            return 2;
        }

        try
        {
            // A malformed planted slowdown fails here, once, rather than in every launch.
            _ = PlantedSlowdown.ItemsFor(PlantedSlowdown.Setting, ChannelFamily.Rendezvous, Workload.OneToOne, 4);
        }
        catch (FormatException e)
        {
            output.WriteLine($"guard: {e.Message}");
            return 2;
        }

        if (LaunchReport is string launchReport)
        {
            // One launch of a run (GuardLaunches started this process): measure, hand the figures back, no verdict.
            GuardMeasurement.Run(cases, Rounds, s_warmUp, output).Write(launchReport);
            return 0;
        }

        GuardReport? baseline = null;
        if (!Record)
        {
            try
            {
                baseline = GuardReport.Read(BaselinePath);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                output.WriteLine($"guard: cannot read the baseline {BaselinePath}: {e.Message}");
                output.WriteLine("Record one with: dotnet run -c Release --project bench -- guard --record");
                return 2;
            }
        }

        if (PlantedSlowdown.Setting is string slowdown)
        {
            output.WriteLine($"WARNING: {PlantedSlowdown.Variable}={slowdown}: a deliberately slowed run, for checking the guard; not a measurement.");
        }

        int launches = Launches ?? (Record ? DefaultRecordLaunches : DefaultLaunches);
        output.WriteLine(
            $"Guard: {cases.Length} cases, ours and the BCL back to back in each of {Rounds} rounds" +
            (Dry
                ? " in this process (dry: no warm-up, timings not judged)."
                : $" per launch, in {launches} launch(es) of {s_warmUp.TotalSeconds:F0} s of warm-up and the rounds."));
        if (ReportPath is string saved)
        {
            // Judge a run measured earlier (its own report file) against the baseline: no measurement.
            GuardReport earlier;
            try
            {
                earlier = GuardReport.Read(saved);
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                output.WriteLine($"guard: cannot read the run {saved}: {e.Message}");
                return 2;
            }

            return Judge(baseline!, earlier, output);
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        GuardReport run;
        try
        {
            run = Dry
                ? GuardMeasurement.Run(cases, Rounds, TimeSpan.Zero, output)
                : GuardLaunches.Run(launches, Rounds, Filter, output);
        }
        catch (InvalidOperationException e)
        {
            output.WriteLine($"guard: {e.Message}");
            return 2;
        }

        output.WriteLine($"Measured in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s.");
        string runPath = Path.Combine(
            "BenchmarkDotNet.Artifacts",
            $"guard-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}",
            "guard.json");
        run.Write(runPath);
        output.WriteLine($"This run: {runPath}");
        if (Record)
        {
            run.Write(BaselinePath);
            WriteRun(run, output);
            output.WriteLine($"Recorded as the baseline: {BaselinePath}");
            return 0;
        }

        if (Dry)
        {
            // Two rounds without a warm-up say nothing about speed: show them, check the baseline covers every case.
            WriteRun(run, output);
            string[] missing = [.. run.Cases.Where(c => baseline!.Find(c.Case) is null).Select(c => c.Case)];
            output.WriteLine(
                $"Dry pass: every case ran; timings not judged. Baseline {BaselinePath}: {baseline!.Cases.Count} cases" +
                (missing.Length == 0 ? ", every case of this build among them." : $"; not in it (re-record): {string.Join(", ", missing)}."));
            return 0;
        }

        return Judge(baseline!, run, output);
    }

    /// <returns>1 on a regression, else 0.</returns>
    private int Judge(GuardReport baseline, GuardReport run, TextWriter output)
    {
        if (run.Slowdown is string slowedRun)
        {
            output.WriteLine($"WARNING: this run was deliberately slowed ({PlantedSlowdown.Variable}={slowedRun}).");
        }

        // Judge only what was measured: cases filtered out of this run are not "only in the baseline".
        GuardReport judgedBaseline = baseline with { Cases = [.. baseline.Cases.Where(b => run.Find(b.Case) is not null || Filter is null)] };
        IReadOnlyList<GuardJudgement> judgements = GuardRule.JudgeAll(judgedBaseline, run, Threshold, Alpha, GuardCase.IsTimeJudged);
        output.WriteLine(
            $"Baseline: {BaselinePath} ({judgedBaseline.Launches} launch(es) of {judgedBaseline.Rounds} rounds, " +
            $"{judgedBaseline.Recorded:yyyy-MM-dd HH:mm} UTC, {judgedBaseline.Machine})" +
            (judgedBaseline.Slowdown is string slowed ? $", itself slowed: {slowed}" : string.Empty));
        Write(judgements, Threshold, Alpha, output);

        return judgements.Any(j => j.IsRegression) ? 1 : 0;
    }

    /// <summary>The verdicts as a table, then a one-line tally.</summary>
    public static void Write(IReadOnlyList<GuardJudgement> judgements, double threshold, double alpha, TextWriter output)
    {
        output.WriteLine(
            "Ratio = ours / BCL: each round's, its median per launch, the geometric mean over launches. A case is slower " +
            $"(a regression) only if its ratio grew past its bar: {Figures.Threshold(threshold)}, or more where its launches " +
            $"spread so wide that a one-sided t-test at {Figures.Threshold(alpha)} needs more. More than " +
            $"{GuardRule.AllocationSlackBytes.ToString("0.0", CultureInfo.InvariantCulture)} B/op more is always a regression.");
        var table = new TextTable("Case", ">Ratio before", ">Ratio after", ">Change", ">Bar", ">B/op before", ">B/op after", "Verdict");
        foreach (GuardJudgement j in judgements)
        {
            table.AddRow(
                j.Case,
                j.RatioBefore is double before ? Figures.Ratio(before) : "-",
                j.RatioAfter is double after ? Figures.Ratio(after) : "-",
                j.Change is double change ? Figures.Percent(change) : "-",
                j.Bar is double bar ? Figures.Percent(bar) : "-",
                Bytes(j.BytesBefore),
                Bytes(j.BytesAfter),
                j.IsRegression ? j.Verdict.ToString().ToUpperInvariant() : j.Verdict.ToString());
        }

        table.Write(output);
        IEnumerable<string> tally = judgements.GroupBy(j => j.Verdict).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        output.WriteLine($"{string.Join(", ", tally)}; {judgements.Count(j => j.IsRegression)} regression(s).");
    }

    private static void WriteRun(GuardReport run, TextWriter output)
    {
        var table = new TextTable("Case", ">Ours ns/op (median)", ">BCL ns/op (median)", ">Ratio", ">Ratio (quartiles of rounds)", ">B/op");
        foreach (CaseSample sample in run.Cases)
        {
            IReadOnlyList<double> ratios = sample.Ratios();
            table.AddRow(
                sample.Case,
                Figures.Nanoseconds(RoundsResult.Median(sample.Ours)),
                Figures.Nanoseconds(RoundsResult.Median(sample.Bcl)),
                Figures.Ratio(sample.TypicalRatio()),
                $"{Figures.Ratio(RoundsResult.Percentile(ratios, 0.25))}–{Figures.Ratio(RoundsResult.Percentile(ratios, 0.75))}",
                Bytes(sample.BytesPerOperation));
        }

        table.Write(output);
    }

    private static string Bytes(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static int ParseCount(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count >= 1
            ? count
            : throw new FormatException($"{what} '{text}' must be a whole number of at least 1.");

    /// <summary>"10%" and "10" both mean 10 percent; above 0 and at most <paramref name="upTo"/>.</summary>
    private static double ParsePercent(string text, string what, double upTo) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) &&
        percent > 0 && percent / 100 <= upTo
            ? percent / 100
            : throw new FormatException($"{what} '{text}' must be a percentage above 0% and at most {upTo:0.##%}.");
}
