using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// A guard run as a file: where and when it ran, and every case's per-round figures (a rank test needs the whole
/// distribution, not a summary). bench/baseline/guard.json is one, recorded with <c>guard --record</c>; every run
/// also writes its own, which a later run can take as its baseline.
/// </summary>
/// <param name="Machine">Processor count, OS and runtime, for the reader: ratios, not times, are compared.</param>
/// <param name="Slowdown">The planted slowdown the run was made with (<c>RENDEZVOUS_BENCH_SLOWDOWN</c>), or null.</param>
/// <param name="Rounds">Rounds per launch.</param>
/// <param name="Launches">Processes the rounds were pooled from (<see cref="GuardLaunches"/>).</param>
internal sealed record GuardReport(
    DateTimeOffset Recorded, string Machine, string? Slowdown, int Rounds, int Launches, IReadOnlyList<CaseSample> Cases)
{
    private static readonly JsonSerializerOptions s_options = new() { WriteIndented = true };

    /// <summary>Where <c>guard</c> looks for its baseline, relative to the repository root.</summary>
    public const string DefaultPath = "bench/baseline/guard.json";

    public CaseSample? Find(string caseName) => Cases.FirstOrDefault(sample => sample.Case == caseName);

    /// <summary>
    /// One report of every launch's rounds, launch after launch. Allocations count the fewest bytes any launch saw:
    /// an allocation per operation shows in every launch, a stray one (a thread started) in one.
    /// </summary>
    public static GuardReport Pool(IReadOnlyList<GuardReport> launches)
    {
        GuardReport first = launches[0];
        CaseSample[] pooled =
        [
            .. first.Cases.Select(c =>
            {
                CaseSample[] all = [.. launches.Select(l => l.Find(c.Case) ?? throw new InvalidOperationException($"A launch lacks the case {c.Case}."))];
                return c with
                {
                    BytesPerOperation = all.Min(s => s.BytesPerOperation),
                    Ours = [.. all.SelectMany(s => s.Ours)],
                    Bcl = [.. all.SelectMany(s => s.Bcl)],
                };
            }),
        ];
        return first with { Launches = launches.Sum(l => l.Launches), Cases = pooled };
    }

    public void Write(string path)
    {
        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, JsonSerializer.Serialize(this, s_options) + Environment.NewLine);
    }

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="JsonException">The file is not a guard report.</exception>
    public static GuardReport Read(string path)
    {
        GuardReport? report = JsonSerializer.Deserialize<GuardReport>(File.ReadAllText(path), s_options);
        if (report?.Cases is null || report.Cases.Any(c => c.Case is null || c.Ours is null || c.Bcl is null || c.Ours.Count != c.Bcl.Count || c.Ours.Count == 0 || c.RoundsPerLaunch < 1) || report.Launches < 1)
        {
            throw new JsonException($"{path} is not a guard report (a case without rounds or rounds per launch, or ours and BCL of different lengths).");
        }

        return report;
    }
}
