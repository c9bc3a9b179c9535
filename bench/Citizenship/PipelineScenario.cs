using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario a: producer → channel → stage A (X µs of CPU per item) → channel → stage B (X µs), for rendezvous and
/// ring(16) channels and X = 200 and 2000. On two cores the stages should run in parallel: throughput near one
/// item per X µs, and stage B working on item i while stage A works on a later item. Chaining both stages on one
/// worker halves the throughput and the overlap drops to 0.
/// </summary>
internal static class PipelineScenario
{
    private static readonly int[] s_capacities = [0, 16];
    private static readonly int[] s_stageMicroseconds = [200, 2000];

    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        foreach (int capacity in s_capacities)
        {
            foreach (int micros in s_stageMicroseconds)
            {
                string scenario = $"a. {SideChannels.Describe(capacity)} pipeline, two stages of {micros} µs CPU";
                (double itemsPerSecond, double overlap) = RunOnce(side, capacity, micros, settings.PipelineItems(micros), settings.HangTimeout, scenario);
                yield return new Measurement(scenario, "items per second", itemsPerSecond, MetricKind.Rate);
                yield return new Measurement(scenario, "items on which the stages overlapped", overlap, MetricKind.Fraction);
            }
        }
    }

    private static (double ItemsPerSecond, double Overlap) RunOnce(
        ChannelSide side, int capacity, int micros, int items, TimeSpan timeout, string scenario)
    {
        Channel<int> toStageA = SideChannels.Create<int>(side, capacity);
        Channel<int> toStageB = SideChannels.Create<int>(side, capacity);
        // When each stage worked on each item (Stopwatch timestamps): stage A's intervals, in order, then B's.
        var a = new (long Start, long End)[items];
        var b = new (long Start, long End)[items];

        long started = Stopwatch.GetTimestamp();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < items; i++)
            {
                await toStageA.Writer.WriteAsync(i);
            }
        });
        Task stageA = Task.Run(async () =>
        {
            for (int i = 0; i < items; i++)
            {
                int item = await toStageA.Reader.ReadAsync();
                a[i].Start = Stopwatch.GetTimestamp();
                Bounded.Spin(micros);
                a[i].End = Stopwatch.GetTimestamp();
                await toStageB.Writer.WriteAsync(item);
            }
        });
        Task stageB = Task.Run(async () =>
        {
            for (int i = 0; i < items; i++)
            {
                int item = await toStageB.Reader.ReadAsync();
                if (item != i)
                {
                    throw new InvalidOperationException($"{scenario}: stage B got item {item}, expected {i} (lost or reordered).");
                }

                b[i].Start = Stopwatch.GetTimestamp();
                Bounded.Spin(micros);
                b[i].End = Stopwatch.GetTimestamp();
            }
        });
        Bounded.Wait(Task.WhenAll(producer, stageA, stageB), timeout, scenario);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        toStageA.Writer.Complete();
        toStageB.Writer.Complete();
        return (items / elapsed.TotalSeconds, OverlapFraction(a, b));
    }

    /// <summary>
    /// The fraction of stage B's intervals that intersect some interval of stage A. Each stage's intervals are
    /// disjoint and in time order, so one sweep finds, for each B interval, the first A interval not over before it.
    /// </summary>
    private static double OverlapFraction((long Start, long End)[] a, (long Start, long End)[] b)
    {
        int overlapped = 0;
        int j = 0;
        foreach ((long start, long end) in b)
        {
            while (j < a.Length && a[j].End <= start)
            {
                j++;
            }

            if (j < a.Length && a[j].Start < end)
            {
                overlapped++;
            }
        }

        return (double)overlapped / b.Length;
    }
}
