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
/// <c>guard [--record] [--baseline FILE] [--rounds N] [--filter TEXT] [--threshold 15%] [--alpha 1%] [--dry]</c>:
/// the regression guard. Measures every case (<see cref="GuardMeasurement"/>), writes the run's report under
/// BenchmarkDotNet.Artifacts/, then either records it as the baseline (<c>--record</c>) or judges it against the
/// baseline (<see cref="GuardRule"/>) and exits 1 on a regression. <c>--dry</c> (CI) runs two rounds without a
/// warm-up and never judges: it checks that every case runs and that the baseline reads.
/// </summary>
internal sealed record GuardCommand(
    bool Record, string BaselinePath, int Rounds, string? Filter, double Threshold, double Alpha, bool Dry)
{
    public const string Usage =
        "guard [--record] [--baseline FILE] [--rounds N] [--filter TEXT] [--threshold 15%] [--alpha 1%] [--dry]";

    /// <summary>Rounds by default: about two minutes here for the whole set of cases.</summary>
    public const int DefaultRounds = 40;

    private const int DryRounds = 2;

    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(5);

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
                ("--rounds", string text) => command with { Rounds = ParseRounds(text) },
                ("--threshold", string text) => command with { Threshold = ParsePercent(text, "Threshold", upTo: 10) },
                ("--alpha", string text) => command with { Alpha = ParsePercent(text, "Alpha", upTo: 0.5) },
                _ => throw new FormatException($"Unknown or incomplete argument '{args[i]}'."),
            };
            if (args[i] is not ("--record" or "--dry"))
            {
                i++;
            }
        }

        return command.Record && command.Dry
            ? throw new FormatException("A dry pass measures nothing worth recording: --record and --dry exclude each other.")
            : command;
    }

    private int Run(TextWriter output)
    {
        GuardCase[] cases = [.. GuardCase.All.Where(c => Filter is null || c.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase))];
        if (cases.Length == 0)
        {
            output.WriteLine($"guard: no case matches '{Filter}'. Cases: {string.Join(", ", GuardCase.All.Select(c => c.Name))}.");
            return 2;
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

        output.WriteLine(
            $"Guard: {cases.Length} cases, ours and the BCL back to back in each of {Rounds} rounds" +
            (Dry ? " (dry: no warm-up, timings not judged)." : $" after {s_warmUp.TotalSeconds:F0} s of warm-up."));
        GuardReport run = GuardMeasurement.Run(cases, Rounds, Dry ? TimeSpan.Zero : s_warmUp, output);
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

        // Judge only what was measured: cases filtered out of this run are not "only in the baseline".
        GuardReport judgedBaseline = baseline! with { Cases = [.. baseline!.Cases.Where(b => run.Find(b.Case) is not null || Filter is null)] };
        IReadOnlyList<GuardJudgement> judgements = GuardRule.JudgeAll(judgedBaseline, run, Threshold, Alpha);
        output.WriteLine($"Baseline: {BaselinePath} ({judgedBaseline.Rounds} rounds, {judgedBaseline.Recorded:yyyy-MM-dd HH:mm} UTC, {judgedBaseline.Machine})" +
            (judgedBaseline.Slowdown is string slowed ? $", itself slowed: {slowed}" : string.Empty));
        Write(judgements, Threshold, Alpha, output);
        if (Dry)
        {
            output.WriteLine("Dry pass: every case ran; verdicts above are not judged (two rounds, no warm-up).");
            return 0;
        }

        return judgements.Any(j => j.IsRegression) ? 1 : 0;
    }

    /// <summary>The verdicts as a table, then a one-line tally.</summary>
    public static void Write(IReadOnlyList<GuardJudgement> judgements, double threshold, double alpha, TextWriter output)
    {
        output.WriteLine(
            $"Ratio = ours / BCL per round, median over rounds. Change = Hodges-Lehmann shift of the ratio. A case is slower " +
            $"(a regression) only if it moved by more than {Figures.Threshold(threshold)} AND the Mann-Whitney test puts it " +
            $"higher at p < {alpha.ToString("0.###", CultureInfo.InvariantCulture)}; more than {GuardRule.AllocationSlackBytes} B/op more is always a regression.");
        var table = new TextTable("Case", ">Ratio before", ">Ratio after", ">Change", ">p (slower)", ">B/op before", ">B/op after", "Verdict");
        foreach (GuardJudgement j in judgements)
        {
            table.AddRow(
                j.Case,
                j.RatioBefore is double before ? Figures.Ratio(before) : "-",
                j.RatioAfter is double after ? Figures.Ratio(after) : "-",
                j.Change is double change ? Figures.Percent(change) : "-",
                j.PSlower is double p ? PValue(p) : "-",
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
        var table = new TextTable("Case", ">Ours ns/op (median)", ">BCL ns/op (median)", ">Ratio (median)", ">Ratio (quartiles)", ">B/op");
        foreach (CaseSample sample in run.Cases)
        {
            IReadOnlyList<double> ratios = sample.Ratios();
            table.AddRow(
                sample.Case,
                Figures.Nanoseconds(RoundsResult.Median(sample.Ours)),
                Figures.Nanoseconds(RoundsResult.Median(sample.Bcl)),
                Figures.Ratio(sample.MedianRatio()),
                $"{Figures.Ratio(RoundsResult.Percentile(ratios, 0.25))}–{Figures.Ratio(RoundsResult.Percentile(ratios, 0.75))}",
                Bytes(sample.BytesPerOperation));
        }

        table.Write(output);
    }

    private static string Bytes(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-";

    private static string PValue(double p) => p < 0.0001 ? "<0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static int ParseRounds(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int rounds) && rounds >= 1
            ? rounds
            : throw new FormatException($"Rounds '{text}' must be a whole number of at least 1.");

    /// <summary>"10%" and "10" both mean 10 percent; above 0 and at most <paramref name="upTo"/>.</summary>
    private static double ParsePercent(string text, string what, double upTo) =>
        double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) &&
        percent > 0 && percent / 100 <= upTo
            ? percent / 100
            : throw new FormatException($"{what} '{text}' must be a percentage above 0% and at most {upTo:0.##%}.");
}
