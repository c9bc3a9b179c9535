using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The <see cref="Workload"/>s on an <see cref="InlineRendezvous"/>, the async floor of a hand-off: the same loops
/// as <see cref="ChannelWorkloads"/> (checked the same way), started on the calling thread and resumed by one
/// plain loop instead of the thread pool. Ping-pong is one round trip; 4 → 4 is four writers and four readers;
/// every other rendezvous workload is one item from one loop to another (a token or ReadAllAsync adds nothing at
/// the floor: it is what each of them would cost if it were free).
/// </summary>
internal static class AsyncFloorWorkloads
{
    /// <summary>Runs <paramref name="operations"/> operations of <paramref name="workload"/> to their end on the calling thread.</summary>
    public static void Run(Workload workload, int operations)
    {
        var runnable = new Queue<InlineParty>();
        Task done = workload switch
        {
            Workload.PingPong => PingPongAsync(new InlineRendezvous(runnable), new InlineRendezvous(runnable), operations),
            Workload.FourToFour => TransferAsync(new InlineRendezvous(runnable), 4, 4, operations),
            Workload.TryWriteTryRead => throw new ArgumentOutOfRangeException(nameof(workload), workload, "A rendezvous has no TryWrite+TryRead floor."),
            _ => TransferAsync(new InlineRendezvous(runnable), 1, 1, operations),
        };
        InlineRendezvous.RunAll(runnable);
        if (!done.IsCompleted)
        {
            throw new InvalidOperationException("The async floor's loops stopped with nothing left to run: a lost wake-up.");
        }

        done.GetAwaiter().GetResult();
    }

    private static Task PingPongAsync(InlineRendezvous requests, InlineRendezvous replies, int roundTrips)
    {
        return Task.WhenAll(Pinger(), Ponger());

        async Task Pinger()
        {
            InlineParty onRequests = requests.NewParty();
            InlineParty onReplies = replies.NewParty();
            for (int i = 0; i < roundTrips; i++)
            {
                await requests.WriteAsync(onRequests, i);
                int echo = await replies.ReadAsync(onReplies);
                if (echo != i)
                {
                    throw new InvalidOperationException($"Ping-pong round trip {i} came back as {echo}.");
                }
            }
        }

        async Task Ponger()
        {
            InlineParty onRequests = requests.NewParty();
            InlineParty onReplies = replies.NewParty();
            for (int i = 0; i < roundTrips; i++)
            {
                await replies.WriteAsync(onReplies, await requests.ReadAsync(onRequests));
            }
        }
    }

    private static async Task TransferAsync(InlineRendezvous rendezvous, int writers, int readers, int items)
    {
        var producers = new Task[writers];
        int writerShare = items / writers;
        for (int w = 0; w < writers; w++)
        {
            producers[w] = Produce(w * writerShare);
        }

        var consumers = new Task<ItemTally>[readers];
        for (int r = 0; r < readers; r++)
        {
            consumers[r] = Consume(items / readers);
        }

        await Task.WhenAll(producers);
        ItemTally received = default;
        foreach (Task<ItemTally> consumer in consumers)
        {
            received = received.Combine(await consumer);
        }

        received.VerifyReceivedExactly(ItemTally.ForRange(items));

        async Task Produce(int first)
        {
            InlineParty party = rendezvous.NewParty();
            for (int item = first; item < first + writerShare; item++)
            {
                await rendezvous.WriteAsync(party, item);
            }
        }

        async Task<ItemTally> Consume(int count)
        {
            InlineParty party = rendezvous.NewParty();
            ItemTally tally = default;
            for (int i = 0; i < count; i++)
            {
                tally = tally.Add(await rendezvous.ReadAsync(party));
            }

            return tally;
        }
    }
}
