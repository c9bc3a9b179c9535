using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario b: a ring(16) pipeline with two stages of 2 ms CPU per item runs flat out while the main thread
/// starts an unrelated <c>Task.Run</c> every 10 ms; the figure is how long each of those waits to start. With
/// the pool's usual fairness it waits for a worker's current item at most; a chain that keeps one worker, or a
/// local queue that the busy workers pop first, makes it wait for the pipeline.
/// </summary>
internal static class StartLatencyScenario
{
    private const int StageMicroseconds = 2000;
    private const int ProbePeriodMilliseconds = 10;
    private const int Capacity = 16;

    /// <summary>Ends the stream; the producer writes it after its last item.</summary>
    private const int EndOfStream = -1;

    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        const string Scenario = "b. ring(16) pipeline of two 2 ms stages, plus a Task.Run every 10 ms";
        Channel<int> toStageA = SideChannels.Create<int>(side, Capacity);
        Channel<int> toStageB = SideChannels.Create<int>(side, Capacity);
        int stop = 0;

        Task<int> producer = Task.Run(async () =>
        {
            int produced = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                await toStageA.Writer.WriteAsync(produced++);
            }

            await toStageA.Writer.WriteAsync(EndOfStream);
            return produced;
        });
        Task stageA = Task.Run(async () =>
        {
            while (true)
            {
                int item = await toStageA.Reader.ReadAsync();
                if (item != EndOfStream)
                {
                    Bounded.Spin(StageMicroseconds);
                }

                await toStageB.Writer.WriteAsync(item);
                if (item == EndOfStream)
                {
                    return;
                }
            }
        });
        Task<int> stageB = Task.Run(async () =>
        {
            for (int expected = 0; ; expected++)
            {
                int item = await toStageB.Reader.ReadAsync();
                if (item == EndOfStream)
                {
                    return expected;
                }

                if (item != expected)
                {
                    throw new InvalidOperationException($"{Scenario}: stage B got item {item}, expected {expected} (lost or reordered).");
                }

                Bounded.Spin(StageMicroseconds);
            }
        });

        // The probes, from this (non-pool) thread: each task reports how long after Task.Run it started.
        var probes = new List<Task<double>>();
        long began = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(began) < settings.LatencyDuration)
        {
            long queued = Stopwatch.GetTimestamp();
            probes.Add(Task.Run(() => Bounded.MillisecondsSince(queued)));
            Thread.Sleep(ProbePeriodMilliseconds);
        }

        Volatile.Write(ref stop, 1);
        Bounded.Wait(Task.WhenAll(producer, stageA, stageB), settings.HangTimeout, Scenario);
        if (producer.Result != stageB.Result)
        {
            throw new InvalidOperationException($"{Scenario}: {producer.Result} items written, {stageB.Result} arrived.");
        }

        double[] latencies = Bounded.Wait(Task.WhenAll(probes), settings.HangTimeout, Scenario);
        Array.Sort(latencies);
        toStageA.Writer.Complete();
        toStageB.Writer.Complete();
        return
        [
            new(Scenario, "unrelated task's start latency, p50", Percentile(latencies, 0.50), MetricKind.Milliseconds),
            new(Scenario, "unrelated task's start latency, p90", Percentile(latencies, 0.90), MetricKind.Milliseconds),
            new(Scenario, "unrelated task's start latency, p99", Percentile(latencies, 0.99), MetricKind.Milliseconds),
            new(Scenario, "unrelated task's start latency, worst", latencies[^1], MetricKind.Milliseconds),
        ];
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
