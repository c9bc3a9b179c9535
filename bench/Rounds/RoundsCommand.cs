using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Channels;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rounds;

/// <summary>
/// <c>rounds [--rounds N] [--mode threadpool|chained]</c>: the rendezvous speed targets as stated. In this one process, ours
/// (in the given <see cref="ContinuationMode"/>, default <see cref="ContinuationMode.ThreadPool"/>, the library's default) and
/// <c>Channel.CreateBounded&lt;int&gt;(0)</c> (default options) run each workload back to back in every round, in
/// alternating order so that neither side always runs on the heels of the other; slow drifts of a shared
/// machine hit both halves of a round alike and cancel in its ratio. Complements BenchmarkDotNet's
/// <c>compare</c>, which runs each case in a process of its own.
/// </summary>
internal static class RoundsCommand
{
    private const int DefaultRounds = 21;

    /// <summary>Operations per round: tens of milliseconds, so that starting the round's tasks is noise.</summary>
    private const int OperationsPerRound = 65536;

    /// <summary>
    /// Rounds are run and thrown away for at least this long first (and at least three of them). Counted rounds
    /// were not enough: tiered JIT compilation (tier 0, then instrumented, then optimized with PGO) took the first
    /// 0.5-1 s of a process here, with both sides 2-4x slower than in steady state and their ratio near 1.
    /// </summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromSeconds(3);

    private static readonly (string Name, Workload Workload)[] s_workloads =
    [
        ("ping-pong (round trip)", Workload.PingPong),
        ("1 writer → 1 reader", Workload.OneToOne),
        ("4 writers → 4 readers", Workload.FourToFour),
    ];

    public static int Execute(string[] args, TextWriter output)
    {
        if (!TryParse(args, out int rounds, out ContinuationMode mode))
        {
            output.WriteLine("Usage: rounds [--rounds N] [--mode threadpool|chained]   (N >= 1, default 21; mode default threadpool)");
            return 2;
        }

        var options = new RendezvousChannelOptions { ContinuationMode = mode };
        Channel<int>[] ours = [new RendezvousChannel<int>(options), new RendezvousChannel<int>(options)];
        Channel<int>[] baseline = [Channel.CreateBounded<int>(0), Channel.CreateBounded<int>(0)];
        output.WriteLine($"RendezvousChannel<int> (ContinuationMode.{mode}) vs Channel.CreateBounded<int>(0), default options, {Environment.ProcessorCount} cores.");
        output.WriteLine($"{rounds} rounds of {OperationsPerRound} operations per workload after {s_warmUp.TotalSeconds:F0} s of warm-up rounds; ours and the BCL back to back in each round, order alternating.");
        var table = new TextTable("Workload", ">Ours ns/op (median)", ">BCL ns/op (median)", ">Ratio (median of rounds)", ">Ratio (quartiles)");
        foreach ((string name, Workload workload) in s_workloads)
        {
            RoundsResult result = Run(name, () => Time(workload, ours), () => Time(workload, baseline), rounds);
            table.AddRow(
                result.Name,
                Format(result.OursMedian, "F1"),
                Format(result.BaselineMedian, "F1"),
                Format(result.RatioMedian, "F2"),
                $"{Format(result.RatioQuartile1, "F2")}–{Format(result.RatioQuartile3, "F2")}");
        }

        foreach (Channel<int> channel in (Channel<int>[])[.. ours, .. baseline])
        {
            channel.Writer.Complete();
        }

        table.Write(output);
        return 0;
    }

    private static bool TryParse(string[] args, out int rounds, out ContinuationMode mode)
    {
        rounds = DefaultRounds;
        mode = ContinuationMode.ThreadPool;
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 == args.Length)
            {
                return false;
            }

            switch (args[i], args[i + 1])
            {
                case ("--rounds", string value):
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1)
                    {
                        return false;
                    }

                    break;
                case ("--mode", "threadpool"):
                    mode = ContinuationMode.ThreadPool;
                    break;
                case ("--mode", "chained"):
                    mode = ContinuationMode.Chained;
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Warms up, then times <paramref name="rounds"/> rounds of both sides, the order alternating.</summary>
    private static RoundsResult Run(string name, Func<double> ours, Func<double> baseline, int rounds)
    {
        long warmUpStarted = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3 || Stopwatch.GetElapsedTime(warmUpStarted) < s_warmUp; i++)
        {
            ours();
            baseline();
        }

        var oursTimes = new List<double>(rounds);
        var baselineTimes = new List<double>(rounds);
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                oursTimes.Add(ours());
                baselineTimes.Add(baseline());
            }
            else
            {
                baselineTimes.Add(baseline());
                oursTimes.Add(ours());
            }
        }

        return new RoundsResult(name, oursTimes, baselineTimes);
    }

    /// <summary>Nanoseconds per operation of one round; the workload's own checks throw on a lost or wrong item.</summary>
    private static double Time(Workload workload, Channel<int>[] channels)
    {
        long started = Stopwatch.GetTimestamp();
        ChannelWorkloads.Run(workload, channels[0], channels[1], OperationsPerRound);
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / OperationsPerRound;
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
