using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Rounds;

/// <summary>
/// Runs a workload round by round in this one process, ours and the baseline back to back in each round, in
/// alternating order (so that neither side always runs on the heels of the other): the measurement the speed
/// targets ask for. Slow drifts of a shared machine hit both halves of a round alike and cancel in its ratio.
/// </summary>
internal static class InterleavedRounds
{
    /// <summary>
    /// Rounds are run and thrown away for at least this long first. Counted rounds were not enough: tiered JIT
    /// compilation (tier 0, then instrumented, then optimized with PGO) took the first 0.5-1 s of a process here,
    /// with both sides 2-4x slower than in steady state and their ratio near 1.
    /// </summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    /// <summary>And at least this many warm-up rounds of each side.</summary>
    public const int MinWarmUpRounds = 3;

    public static RoundsResult Run(RoundsWorkload workload, int rounds)
    {
        long warmUpStarted = Stopwatch.GetTimestamp();
        for (int i = 0; i < MinWarmUpRounds || Stopwatch.GetElapsedTime(warmUpStarted) < WarmUp; i++)
        {
            Time(workload.Ours, workload.OperationsPerRound);
            Time(workload.Baseline, workload.OperationsPerRound);
        }

        var ours = new List<double>(rounds);
        var baseline = new List<double>(rounds);
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                ours.Add(Time(workload.Ours, workload.OperationsPerRound));
                baseline.Add(Time(workload.Baseline, workload.OperationsPerRound));
            }
            else
            {
                baseline.Add(Time(workload.Baseline, workload.OperationsPerRound));
                ours.Add(Time(workload.Ours, workload.OperationsPerRound));
            }
        }

        return new RoundsResult(workload.Name, ours, baseline);
    }

    /// <summary>Nanoseconds per operation of one call; the call's own checks throw on a lost or wrong item.</summary>
    private static double Time(Func<Task> workload, int operations)
    {
        long started = Stopwatch.GetTimestamp();
        Workloads.WorkloadCompletion.Wait(workload());
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / operations;
    }
}
