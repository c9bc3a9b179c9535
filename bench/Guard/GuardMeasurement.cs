using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Channels;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// The guard's measurement, all in this one process: after a timed warm-up, every round runs every case once,
/// ours and the BCL back to back (the order alternating from round to round, so neither side always runs on the
/// heels of the other). Cases take turns within a round rather than running all their rounds in a row, so a
/// disturbance of a few seconds (another build starting) spreads thinly over every case instead of wiping out one.
/// </summary>
internal static class GuardMeasurement
{
    /// <summary>Rounds to count our allocations over; the smallest count wins (a stray timer or thread start is not ours).</summary>
    private const int AllocationRounds = 3;

    public static GuardReport Run(IReadOnlyList<GuardCase> cases, int rounds, TimeSpan warmUp, TextWriter progress)
    {
        Contestants[] contestants = [.. cases.Select(c => new Contestants(c))];
        try
        {
            // Tiered compilation settles in the first second or two (both sides several times slower, their ratio
            // near 1); the warm-up sweeps run every case until it is over.
            long warmUpStarted = Stopwatch.GetTimestamp();
            int warmUpSweeps = 0;
            do
            {
                foreach (Contestants contestant in contestants)
                {
                    contestant.TimeOurs();
                    contestant.TimeBcl();
                }

                warmUpSweeps++;
            }
            while (Stopwatch.GetElapsedTime(warmUpStarted) < warmUp);

            progress.WriteLine($"Warm-up: {warmUpSweeps} sweep(s) of {contestants.Length} cases in {Stopwatch.GetElapsedTime(warmUpStarted).TotalSeconds:F1} s.");
            var ours = contestants.Select(_ => new List<double>(rounds)).ToArray();
            var bcl = contestants.Select(_ => new List<double>(rounds)).ToArray();
            long measuringStarted = Stopwatch.GetTimestamp();
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < contestants.Length; i++)
                {
                    if (round % 2 == 0)
                    {
                        ours[i].Add(contestants[i].TimeOurs());
                        bcl[i].Add(contestants[i].TimeBcl());
                    }
                    else
                    {
                        bcl[i].Add(contestants[i].TimeBcl());
                        ours[i].Add(contestants[i].TimeOurs());
                    }
                }
            }

            progress.WriteLine($"Measured: {rounds} round(s) in {Stopwatch.GetElapsedTime(measuringStarted).TotalSeconds:F1} s.");
            CaseSample[] samples =
            [
                .. contestants.Select((c, i) => new CaseSample(c.Case.Name, c.Case.OperationsPerRound, rounds, c.OurBytesPerOperation(), ours[i], bcl[i])),
            ];
            return new GuardReport(
                DateTimeOffset.UtcNow,
                $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
                PlantedSlowdown.Setting,
                rounds,
                Launches: 1,
                samples);
        }
        finally
        {
            foreach (Contestants contestant in contestants)
            {
                contestant.Complete();
            }
        }
    }

    /// <summary>One case's two sides, each with its pair of channels (ping-pong echoes through the second).</summary>
    private sealed class Contestants
    {
        private readonly (Channel<int> Channel, Channel<int> Replies) _ours;
        private readonly (Channel<int> Channel, Channel<int> Replies) _bcl;

        /// <summary>Items ours moves per round: the case's operations, unless a <see cref="PlantedSlowdown"/> is set.</summary>
        private readonly int _ourItems;

        public Contestants(GuardCase guardCase)
        {
            Case = guardCase;
            _ours = (guardCase.CreateOurs(), guardCase.CreateOurs());
            _bcl = (guardCase.CreateBcl(), guardCase.CreateBcl());
            _ourItems = PlantedSlowdown.ItemsToMove(_ours.Channel, guardCase.Workload, guardCase.OperationsPerRound);
        }

        public GuardCase Case { get; }

        /// <summary>Our nanoseconds per operation over one round; the workload's own checks throw on a lost item.</summary>
        public double TimeOurs() => Time(_ours, _ourItems);

        public double TimeBcl() => Time(_bcl, Case.OperationsPerRound);

        /// <summary>
        /// Bytes allocated per operation of ours, by the whole process during a round (the workload's tasks run on
        /// pool threads): the harness's own share, a round's tasks and closures, is a fraction of a byte.
        /// </summary>
        public double OurBytesPerOperation()
        {
            long fewest = long.MaxValue;
            for (int i = 0; i < AllocationRounds; i++)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true);
                ChannelWorkloads.Run(Case.Workload, _ours.Channel, _ours.Replies, _ourItems);
                fewest = Math.Min(fewest, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            return (double)fewest / Case.OperationsPerRound;
        }

        public void Complete()
        {
            foreach (Channel<int> channel in (Channel<int>[])[_ours.Channel, _ours.Replies, _bcl.Channel, _bcl.Replies])
            {
                channel.Writer.TryComplete();
            }
        }

        private double Time((Channel<int> Channel, Channel<int> Replies) side, int items)
        {
            long started = Stopwatch.GetTimestamp();
            ChannelWorkloads.Run(Case.Workload, side.Channel, side.Replies, items);
            return Stopwatch.GetElapsedTime(started).TotalNanoseconds / Case.OperationsPerRound;
        }
    }
}
