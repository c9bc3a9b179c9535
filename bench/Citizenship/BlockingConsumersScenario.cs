using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario c, sync-over-async on the default pool: a producer hands one item to each of N parked consumers;
/// each consumer, resumed, hands it on to its own parked partner (waking the partner's continuation) and then
/// blocks (<see cref="ManualResetEventSlim.Wait()"/>) until that partner has run. The wake-ups the blocked
/// workers wait for must run on other workers: queued where a blocked worker is the only one to look (its
/// local queue, its chain), they wait for the rescuer or for the pool to inject threads.
/// </summary>
/// <remarks>Run last in a process: it grows the thread pool, which the scenarios after it would inherit.</remarks>
internal static class BlockingConsumersScenario
{
    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        int consumers = settings.BlockingConsumers;
        string scenario = $"c. {consumers} consumers that each block until a continuation they woke has run";
        Channel<int> work = SideChannels.Create<int>(side, 0);
        Channel<int>[] partnerChannels = Enumerable.Range(0, consumers).Select(_ => SideChannels.Create<int>(side, 0)).ToArray();
        ManualResetEventSlim[] partnerRan = Enumerable.Range(0, consumers).Select(_ => new ManualResetEventSlim()).ToArray();
        var blockedMilliseconds = new double[consumers];

        async Task PartnerAsync(int index)
        {
            int item = await partnerChannels[index].Reader.ReadAsync();
            if (item != index)
            {
                throw new InvalidOperationException($"{scenario}: partner {index} got item {item}.");
            }

            partnerRan[index].Set();
        }

        async Task ConsumerAsync()
        {
            int item = await work.Reader.ReadAsync();
            // Wakes the partner's continuation (it is parked), then blocks this worker until that continuation ran.
            ValueTask handOff = partnerChannels[item].Writer.WriteAsync(item);
            long blocked = Stopwatch.GetTimestamp();
            Bounded.Wait(partnerRan[item], settings.HangTimeout, scenario);
            blockedMilliseconds[item] = Bounded.MillisecondsSince(blocked);
            await handOff;
        }

        // Calling the async methods here parks each at its first read before the producer starts.
        Task[] partners = Enumerable.Range(0, consumers).Select(PartnerAsync).ToArray();
        Task[] consumerTasks = Enumerable.Range(0, consumers).Select(_ => ConsumerAsync()).ToArray();
        long started = Stopwatch.GetTimestamp();
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < consumers; i++)
            {
                await work.Writer.WriteAsync(i);
            }
        });
        Bounded.Wait(Task.WhenAll(consumerTasks.Append(producer)), settings.HangTimeout, scenario);
        double wallMilliseconds = Bounded.MillisecondsSince(started);
        Bounded.Wait(Task.WhenAll(partners), settings.HangTimeout, scenario);
        work.Writer.Complete();
        foreach (Channel<int> channel in partnerChannels)
        {
            channel.Writer.Complete();
        }

        foreach (ManualResetEventSlim signal in partnerRan)
        {
            signal.Dispose();
        }

        return
        [
            new(scenario, "wall time", wallMilliseconds, MetricKind.Milliseconds),
            new(scenario, "longest a consumer blocked", blockedMilliseconds.Max(), MetricKind.Milliseconds),
        ];
    }
}
