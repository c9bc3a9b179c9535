using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The workloads, written once against <see cref="Channel{T}"/> so that our channel and its BCL baseline run
/// exactly the same code. Each one verifies what it received and throws when an item was lost, duplicated or
/// mismatched, so a broken channel fails its benchmark instead of looking fast.
/// </summary>
internal static class ChannelWorkloads
{
    /// <summary>Hundreds of times an invocation's normal length, even on a loaded 2-core machine.</summary>
    private static readonly TimeSpan s_hangTimeout = TimeSpan.FromSeconds(60);

    // One event suffices: BenchmarkDotNet and the rounds command run one workload at a time, from one thread.
    private static readonly ManualResetEvent s_completed = new(initialState: false);
    private static readonly Action s_signalCompleted = () => s_completed.Set();

    // Cancelable but never canceled; lives as long as the process, so nothing has to dispose it.
    private static readonly CancellationTokenSource s_neverCanceled = new();

    /// <summary>
    /// Runs <paramref name="operations"/> operations of <paramref name="workload"/> on <paramref name="channel"/>
    /// (<paramref name="replies"/> carries ping-pong's echoes) to their end, checking every item. The channels are
    /// left open for the next call.
    /// </summary>
    public static void Run(Workload workload, Channel<int> channel, Channel<int> replies, int operations) => Wait(workload switch
    {
        Workload.PingPong => PingPongAsync(channel, replies, operations),
        Workload.OneToOne => TransferAsync(channel, 1, 1, operations, CancellationToken.None),
        Workload.FourToFour => TransferAsync(channel, 4, 4, operations, CancellationToken.None),
        Workload.CancelableToken => TransferAsync(channel, 1, 1, operations, s_neverCanceled.Token),
        Workload.ReadAll => TransferAsync(channel, 1, 1, operations, CancellationToken.None, readAll: true),
        Workload.TryWriteTryRead => TryWriteThenTryRead(channel, operations),
        _ => throw new ArgumentOutOfRangeException(nameof(workload), workload, "Unknown workload."),
    });

    /// <summary>
    /// Blocks until <paramref name="workload"/> ends, then rethrows its failure. Not Task.Wait: its Monitor lock
    /// would contend about once per invocation, noise in the lock-contention column where our lock-free channels
    /// must read exactly 0; a ManualResetEvent waits through the runtime's wait subsystem instead. The wait is
    /// bounded: a lost wake-up or item leaves the workload hanging, and a hang must fail the benchmark (and CI).
    /// </summary>
    public static void Wait(Task workload)
    {
        if (!workload.IsCompleted)
        {
            s_completed.Reset();
            workload.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(s_signalCompleted);
            if (!s_completed.WaitOne(s_hangTimeout))
            {
                throw new TimeoutException(
                    $"The workload did not finish within {s_hangTimeout.TotalSeconds} s: the channel deadlocked, " +
                    "livelocked, or lost a wake-up or an item.");
            }
        }

        workload.GetAwaiter().GetResult();
    }

    /// <summary>A pinger writes each number to <paramref name="requests"/>; a ponger echoes it on <paramref name="replies"/>.</summary>
    private static Task PingPongAsync(Channel<int> requests, Channel<int> replies, int roundTrips)
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
    /// <paramref name="readers"/> consumers (equal shares, so all of them finish), then checks that every item
    /// arrived exactly once. The consumers call ReadAsync, or with <paramref name="readAll"/> drain with
    /// <c>await foreach</c> over ReadAllAsync until they have their share (no completion: the channel is reused).
    /// </summary>
    private static async Task TransferAsync(
        Channel<int> channel, int writers, int readers, int items, CancellationToken cancellationToken, bool readAll = false)
    {
        var producers = new Task[writers];
        for (int w = 0, share = ShareOf(items, writers); w < writers; w++)
        {
            int first = w * share;
            producers[w] = Task.Run(
                async () =>
                {
                    for (int item = first; item < first + share; item++)
                    {
                        await channel.Writer.WriteAsync(item, cancellationToken);
                    }
                },
                CancellationToken.None);
        }

        var consumers = new Task<ItemTally>[readers];
        for (int r = 0, share = ShareOf(items, readers); r < readers; r++)
        {
            consumers[r] = Task.Run(
                () => readAll ? ReadAllAsync(channel.Reader, share) : ReadAsync(channel.Reader, share, cancellationToken),
                CancellationToken.None);
        }

        await Task.WhenAll(producers);
        ItemTally received = default;
        foreach (Task<ItemTally> consumer in consumers)
        {
            received = received.Combine(await consumer);
        }

        received.VerifyReceivedExactly(ItemTally.ForRange(items));
    }

    /// <summary>Both calls must succeed and return the item written: the channel has room for one whatever its capacity.</summary>
    private static Task TryWriteThenTryRead(Channel<int> channel, int pairs)
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

        return Task.CompletedTask;
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
