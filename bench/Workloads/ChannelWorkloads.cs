using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The workloads every suite runs, written once against <see cref="Channel{T}"/> so that our channel and its
/// BCL baseline execute exactly the same code. Each one verifies what it received and throws when an item
/// was lost, duplicated or mismatched.
/// </summary>
internal static class ChannelWorkloads
{
    /// <summary>
    /// A pinger writes each number to <paramref name="requests"/> and waits for it to come back on
    /// <paramref name="replies"/>, where a ponger echoes it: one operation is one round trip (two hand-offs).
    /// </summary>
    public static Task PingPongAsync(Channel<int> requests, Channel<int> replies, int roundTrips)
    {
        Task pinger = Task.Run(async () =>
        {
            for (int i = 0; i < roundTrips; i++)
            {
                await requests.Writer.WriteAsync(i);
                int echo = await replies.Reader.ReadAsync();
                if (echo != i)
                {
                    throw new InvalidOperationException($"Ping-pong round trip {i} came back as {echo}.");
                }
            }
        });
        Task ponger = Task.Run(async () =>
        {
            for (int i = 0; i < roundTrips; i++)
            {
                await replies.Writer.WriteAsync(await requests.Reader.ReadAsync());
            }
        });
        return Task.WhenAll(pinger, ponger);
    }

    /// <summary>
    /// Moves the items 0..<paramref name="items"/>-1 from <paramref name="writers"/> WriteAsync producers to
    /// <paramref name="readers"/> ReadAsync consumers (each consumer takes an equal share, so all of them
    /// finish), then checks that every item arrived exactly once.
    /// </summary>
    public static async Task TransferAsync(
        Channel<int> channel, int writers, int readers, int items, CancellationToken cancellationToken)
    {
        Task[] producers = StartProducers(channel.Writer, writers, items, cancellationToken);
        var consumers = new Task<ItemTally>[readers];
        int share = ShareOf(items, readers);
        for (int r = 0; r < readers; r++)
        {
            consumers[r] = Task.Run(() => ReadAsync(channel.Reader, share, cancellationToken), CancellationToken.None);
        }

        await VerifyAsync(producers, consumers, items);
    }

    /// <summary>
    /// One WriteAsync producer to one consumer that drains with <c>await foreach</c> over ReadAllAsync and
    /// stops after <paramref name="items"/> items (no completion: the channel is reused by the next invocation).
    /// </summary>
    public static async Task TransferToReadAllAsync(Channel<int> channel, int items)
    {
        Task[] producers = StartProducers(channel.Writer, 1, items, CancellationToken.None);
        Task<ItemTally>[] consumers = [Task.Run(() => ReadAllAsync(channel.Reader, items))];
        await VerifyAsync(producers, consumers, items);
    }

    /// <summary>
    /// On one thread, <paramref name="pairs"/> times: TryWrite an item, then TryRead it back. Both must succeed
    /// and return the item written (the channel has room for one item whatever its capacity).
    /// </summary>
    public static void TryWriteThenTryRead(Channel<int> channel, int pairs)
    {
        ChannelWriter<int> writer = channel.Writer;
        ChannelReader<int> reader = channel.Reader;
        for (int i = 0; i < pairs; i++)
        {
            if (!writer.TryWrite(i) || !reader.TryRead(out int item) || item != i)
            {
                throw new InvalidOperationException($"Uncontended TryWrite+TryRead pair {i} failed.");
            }
        }
    }

    private static Task[] StartProducers(
        ChannelWriter<int> writer, int writers, int items, CancellationToken cancellationToken)
    {
        var producers = new Task[writers];
        int share = ShareOf(items, writers);
        for (int w = 0; w < writers; w++)
        {
            int first = w * share;
            producers[w] = Task.Run(() => WriteAsync(writer, first, share, cancellationToken), CancellationToken.None);
        }

        return producers;
    }

    private static async Task VerifyAsync(Task[] producers, Task<ItemTally>[] consumers, int items)
    {
        await Task.WhenAll(producers);
        ItemTally received = default;
        foreach (Task<ItemTally> consumer in consumers)
        {
            received = received.Combine(await consumer);
        }

        received.VerifyReceivedExactly(ItemTally.ForRange(items));
    }

    private static async Task WriteAsync(
        ChannelWriter<int> writer, int first, int count, CancellationToken cancellationToken)
    {
        for (int item = first; item < first + count; item++)
        {
            await writer.WriteAsync(item, cancellationToken);
        }
    }

    private static async Task<ItemTally> ReadAsync(
        ChannelReader<int> reader, int count, CancellationToken cancellationToken)
    {
        ItemTally tally = default;
        for (int i = 0; i < count; i++)
        {
            tally = tally.Add(await reader.ReadAsync(cancellationToken));
        }

        return tally;
    }

    private static async Task<ItemTally> ReadAllAsync(ChannelReader<int> reader, int count)
    {
        ItemTally tally = default;
        await foreach (int item in reader.ReadAllAsync())
        {
            tally = tally.Add(item);
            if (tally.Count == count)
            {
                break;
            }
        }

        return tally;
    }

    private static int ShareOf(int items, int parties) =>
        items % parties == 0
            ? items / parties
            : throw new ArgumentException($"{items} items do not split evenly among {parties} parties.", nameof(items));
}
