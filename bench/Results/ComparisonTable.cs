using System.Collections.Generic;
using System.IO;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// The table a <c>compare</c> run ends with: per suite and workload, our channel (and the reference rows) next to the
/// BCL baseline of the same class, measured in the same run, with the time ratio.
/// </summary>
internal static class ComparisonTable
{
    public static void Write(IEnumerable<MeasuredBenchmark> benchmarks, TextWriter output)
    {
        IReadOnlyList<BaselinePair> pairs = BaselinePair.PairAll(benchmarks);
        var table = new TextTable(
            "Suite", "Params", "Channel", ">ns/op", ">B/op", ">Locks/op",
            "Baseline", ">ns/op", ">B/op", ">Locks/op", ">Ratio");
        foreach (BaselinePair pair in pairs)
        {
            MeasuredBenchmark candidate = pair.Candidate;
            MeasuredBenchmark baseline = pair.Baseline;
            table.AddRow(
                candidate.ShortType,
                candidate.Parameters,
                candidate.Role switch
                {
                    BenchmarkRole.Reference => candidate.Method + " (ref)",
                    BenchmarkRole.Floor => candidate.Method + " (floor)",
                    _ => candidate.Method,
                },
                Figures.Nanoseconds(candidate.NanosecondsPerOperation),
                Figures.Bytes(candidate.BytesPerOperation),
                Figures.Contentions(candidate.LockContentionsPerOperation),
                baseline.Method,
                Figures.Nanoseconds(baseline.NanosecondsPerOperation),
                Figures.Bytes(baseline.BytesPerOperation),
                Figures.Contentions(baseline.LockContentionsPerOperation),
                Figures.Ratio(pair.Ratio));
        }

        output.WriteLine("Ratio = channel time / baseline time in the same run (< 1: faster than the baseline).");
        output.WriteLine(
            "(ref) rows are shown for context, never judged: other BCL channels, and in SelectSuite a plain ReadAsync loop " +
            "on one of our channels. In SelectCostSuite the baseline is our own ReadAsync. Locks/op: Monitor lock contentions per operation.");
        output.WriteLine("(floor) rows are the async floor: the same loops on one thread through an atomic-free rendezvous (no channel).");
        table.Write(output);
        WriteDistanceFromFloor(pairs, output);
        SelectTargets.Write(pairs, output);
        SelectCostTargets.Write(pairs, output);
        if (PlantedSlowdown.Setting is string slowdown)
        {
            output.WriteLine($"WARNING: {PlantedSlowdown.Variable}={slowdown}: a deliberately slowed run, for checking diff; not a measurement.");
        }

        // Our channels are lock-free: any Monitor contention while they run comes from somewhere it should not.
        foreach (MeasuredBenchmark ours in pairs.Select(p => p.Candidate)
                     .Where(b => b.Role == BenchmarkRole.Ours && b.LockContentionsPerOperation > 0))
        {
            output.WriteLine(
                $"WARNING: {ours.ShortType}.{ours.Method} {ours.Parameters} saw lock contentions " +
                $"({Figures.Contentions(ours.LockContentionsPerOperation)}/op); our channels should show 0.");
        }
    }

    /// <summary>For each group with a floor row: how many times the async floor our channel takes.</summary>
    private static void WriteDistanceFromFloor(IReadOnlyList<BaselinePair> pairs, TextWriter output)
    {
        foreach (IGrouping<string, BaselinePair> group in pairs.GroupBy(p => p.Candidate.GroupKey))
        {
            MeasuredBenchmark? floor = group.FirstOrDefault(p => p.Candidate.Role == BenchmarkRole.Floor)?.Candidate;
            MeasuredBenchmark? ours = group.FirstOrDefault(p => p.Candidate.Role == BenchmarkRole.Ours)?.Candidate;
            if (floor is not null && ours is not null)
            {
                output.WriteLine(
                    $"{ours.ShortType} {ours.Parameters}: ours {Figures.Nanoseconds(ours.NanosecondsPerOperation)} ns/op = " +
                    $"{Figures.Ratio(ours.NanosecondsPerOperation / floor.NanosecondsPerOperation)}x the async floor " +
                    $"({Figures.Nanoseconds(floor.NanosecondsPerOperation)} ns/op)");
            }
        }
    }
}
