using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Channels;
using Rendezvous.Channels.Benchmarks.Reporting;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Rounds;

/// <summary>
/// <c>rounds [--rounds N]</c>: the rendezvous speed targets as stated (one process, ours and
/// <c>Channel.CreateBounded&lt;int&gt;(0)</c> interleaved round by round, median of the rounds, default options),
/// for ping-pong, 1→1 and 4→4. Complements BenchmarkDotNet's <c>compare</c>, which runs each case in a process
/// of its own.
/// </summary>
internal static class RoundsCommand
{
    private const int DefaultRounds = 21;

    /// <summary>Operations per round: tens of milliseconds, so that starting the round's tasks is noise.</summary>
    private const int OperationsPerRound = 65536;

    public static int Execute(string[] args, TextWriter output)
    {
        if (!TryParseRounds(args, out int rounds))
        {
            output.WriteLine("Usage: rounds [--rounds N]   (N >= 1, default 21)");
            return 2;
        }

        var ours = (Requests: new RendezvousChannel<int>(), Replies: new RendezvousChannel<int>());
        var baseline = (Requests: Channel.CreateBounded<int>(0), Replies: Channel.CreateBounded<int>(0));
        RoundsWorkload[] workloads =
        [
            new("ping-pong (round trip)",
                () => ChannelWorkloads.PingPongAsync(ours.Requests, ours.Replies, OperationsPerRound),
                () => ChannelWorkloads.PingPongAsync(baseline.Requests, baseline.Replies, OperationsPerRound),
                OperationsPerRound),
            new("1 writer → 1 reader",
                () => ChannelWorkloads.TransferAsync(ours.Requests, 1, 1, OperationsPerRound, CancellationToken.None),
                () => ChannelWorkloads.TransferAsync(baseline.Requests, 1, 1, OperationsPerRound, CancellationToken.None),
                OperationsPerRound),
            new("4 writers → 4 readers",
                () => ChannelWorkloads.TransferAsync(ours.Requests, 4, 4, OperationsPerRound, CancellationToken.None),
                () => ChannelWorkloads.TransferAsync(baseline.Requests, 4, 4, OperationsPerRound, CancellationToken.None),
                OperationsPerRound),
        ];

        output.WriteLine($"RendezvousChannel<int> vs Channel.CreateBounded<int>(0), default options, {Environment.ProcessorCount} cores.");
        output.WriteLine($"{rounds} rounds of {OperationsPerRound} operations per workload after {InterleavedRounds.WarmUp.TotalSeconds:F0} s of warm-up rounds; ours and the BCL back to back in each round, order alternating.");
        var table = new TextTable("Workload", ">Ours ns/op (median)", ">BCL ns/op (median)", ">Ratio (median of rounds)", ">Ratio (quartiles)");
        foreach (RoundsWorkload workload in workloads)
        {
            RoundsResult result = InterleavedRounds.Run(workload, rounds);
            table.AddRow(
                result.Name,
                Format(result.OursMedian),
                Format(result.BaselineMedian),
                result.RatioMedian.ToString("F2", CultureInfo.InvariantCulture),
                $"{result.RatioQuartile1.ToString("F2", CultureInfo.InvariantCulture)}–{result.RatioQuartile3.ToString("F2", CultureInfo.InvariantCulture)}");
        }

        ours.Requests.Writer.Complete();
        ours.Replies.Writer.Complete();
        baseline.Requests.Writer.Complete();
        baseline.Replies.Writer.Complete();

        table.Write(output);
        return 0;
    }

    private static bool TryParseRounds(string[] args, out int rounds)
    {
        rounds = DefaultRounds;
        if (args.Length == 0)
        {
            return true;
        }

        return args.Length == 2 && args[0] == "--rounds" &&
            int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds >= 1;
    }

    private static string Format(double nanoseconds) => nanoseconds.ToString("F1", CultureInfo.InvariantCulture);
}
