using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario c, sync-over-async on the default pool. N consumers are parked on a rendezvous channel; a producer
/// hands item i to one of them, then parks on an acknowledgement channel. The consumer, resumed, acknowledges
/// (waking the producer's continuation) and blocks (<see cref="ManualResetEventSlim.Wait()"/>) until that
/// continuation has run, which is when the producer goes on to item i + 1. So at any time one worker is blocked
/// waiting for a continuation it woke, which must run on another worker: the pool's global queue gives it to any
/// idle worker at once; queued where only the blocked worker looks first (its local queue, its chain), it waits
/// for a thief (a stealing worker, our rescuer) or for the pool to inject a thread.
/// </summary>
internal static class BlockingConsumersScenario
{
    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        int consumers = settings.BlockingConsumers;
        string scenario = $"c. {consumers} consumers that each block until a continuation they woke has run";
        Channel<int> work = SideChannels.Create<int>(side, 0);
        Channel<int> acknowledgements = SideChannels.Create<int>(side, 0);
        ManualResetEventSlim[] producerRan = Enumerable.Range(0, consumers).Select(_ => new ManualResetEventSlim()).ToArray();
        var blockedMilliseconds = new double[consumers];

        async Task ConsumerAsync()
        {
            int item = await work.Reader.ReadAsync();
            // Wakes the producer, parked on the acknowledgements, then blocks this worker until the producer ran.
            ValueTask acknowledged = acknowledgements.Writer.WriteAsync(item);
            long blocked = Stopwatch.GetTimestamp();
            Bounded.Wait(producerRan[item], settings.HangTimeout, scenario);
            blockedMilliseconds[item] = Bounded.MillisecondsSince(blocked);
            await acknowledged;
        }

        async Task ProducerAsync()
        {
            for (int i = 0; i < consumers; i++)
            {
                await work.Writer.WriteAsync(i);
                int acknowledgement = await acknowledgements.Reader.ReadAsync();
                if (acknowledgement != i)
                {
                    throw new InvalidOperationException($"{scenario}: item {i} acknowledged as {acknowledgement}.");
                }

                producerRan[i].Set();
            }
        }

        // Calling the async method here parks each consumer at its read before the producer starts.
        Task[] consumerTasks = Enumerable.Range(0, consumers).Select(_ => ConsumerAsync()).ToArray();
        long started = Stopwatch.GetTimestamp();
        Task producer = Task.Run(ProducerAsync);
        Bounded.Wait(Task.WhenAll(consumerTasks.Append(producer)), settings.HangTimeout, scenario);
        double wallMilliseconds = Bounded.MillisecondsSince(started);
        work.Writer.Complete();
        acknowledgements.Writer.Complete();
        foreach (ManualResetEventSlim signal in producerRan)
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
