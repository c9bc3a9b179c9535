using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using static Rendezvous.Channels.Tests.Unit.RingBufferTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; under concurrency (issue 3): per-writer order, many-writers/many-readers multiset
/// equality, wrap-around over many laps, lost wake-ups, writes racing Complete, and hand-offs racing cancellations.
/// These CPU-heavy tests share a collection with the race tests, so that they run one after another rather than
/// against each other. Every check is on
/// results (which items came out, how often, in which order), never on timing. The one-against-one races, round
/// by round, are in <see cref="RingBufferChannelRaceTests"/>.
/// </summary>
[Collection(RingBufferStressCollection.Name)]
public class RingBufferChannelStressTests(ITestOutputHelper output)
{
    private const int WriterShift = 24;

    /// <summary>Runs <paramref name="work"/> on the thread pool, away from the test's synchronization context.</summary>
    private static Task Run(Func<Task> work) => Task.Run(work);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task Each_writers_items_keep_their_order_under_concurrent_writers(int capacity)
    {
        const int Writers = 4, PerWriter = 20_000;
        var channel = new RingBufferChannel<int>(capacity);
        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Run(async () =>
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    int item = (writer << WriterShift) | i;
                    if (writer % 2 == 0)
                    {
                        await channel.Writer.WriteAsync(item);
                    }
                    else
                    {
                        while (!channel.Writer.TryWrite(item))
                        {
                            Assert.True(await channel.Writer.WaitToWriteAsync());
                        }
                    }
                }
            });
        }

        Task<int[]> reader = Task.Run(async () =>
        {
            int[] next = new int[Writers];
            for (int n = 0; n < Writers * PerWriter; n++)
            {
                int item = await channel.Reader.ReadAsync();
                int writer = item >> WriterShift, seq = item & ((1 << WriterShift) - 1);
                // No gap, no repeat, no reordering within one writer's stream.
                Assert.Equal(next[writer], seq);
                next[writer]++;
            }

            return next;
        });

        await Task.WhenAll(writers).WithTimeout("writers");
        int[] counts = await reader.WithTimeout("reader");
        Assert.All(counts, c => Assert.Equal(PerWriter, c));
        Assert.False(channel.Reader.TryRead(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task Items_wrap_around_many_laps_with_a_concurrent_writer_and_reader(int capacity)
    {
        const int Items = 100_000;
        var channel = new RingBufferChannel<int>(capacity);
        Task writer = Run(async () =>
        {
            for (int i = 0; i < Items; i++)
            {
                await channel.Writer.WriteAsync(i);
            }

            channel.Writer.Complete();
        });

        Task<int> reader = Task.Run(async () =>
        {
            int expected = 0;
            await foreach (int item in channel.Reader.ReadAllAsync())
            {
                Assert.Equal(expected++, item);
            }

            return expected;
        });

        await writer.WithTimeout("writer");
        Assert.Equal(Items, await reader.WithTimeout("reader"));
        await channel.Reader.Completion.WithTimeout("Completion");
    }

    /// <summary>Which operation a lockstep round leaves parked with nobody else to wake it.</summary>
    public enum Lockstep
    {
        ReadAsync,
        WriteAsync,
        WaitToReadAsync,
        WaitToWriteAsync,
    }

    // Lost wake-ups: in a lockstep exchange nothing else happens until the parked operation is woken, so a
    // wake-up that is lost is never made up for by a later write or read (nor by Complete): the exchange stops,
    // which the bounded waits turn into a failure. (A continuous stream would hide such a bug: the next operation
    // on the channel rescues the parked one.) Both sides run on dedicated threads and poll for their partner hot,
    // so that the parking operation and the operation that should wake it really run at the same time; random
    // jitter moves their relative timing across the race window.
    [Theory]
    [InlineData(Lockstep.ReadAsync)]
    [InlineData(Lockstep.WriteAsync)]
    [InlineData(Lockstep.WaitToReadAsync)]
    [InlineData(Lockstep.WaitToWriteAsync)]
    public async Task A_lockstep_exchange_never_loses_a_wake_up(Lockstep mode)
    {
        const int MaxRounds = 50_000;
        var requests = new RingBufferChannel<int>(1);
        var acks = new RingBufferChannel<int>(1);
        var budget = System.Diagnostics.Stopwatch.StartNew();
        bool twoItems = mode is Lockstep.WriteAsync or Lockstep.WaitToWriteAsync;
        int rounds = 0;

        // A: sends round i's request (two items when its own write is the one that parks), then polls for the ack.
        Task a = RunOnThread("lockstep A", () =>
        {
            var random = new Random(3);
            int i = 0;
            for (; i < MaxRounds && (i < 200 || budget.Elapsed < RoundsBudget); i++)
            {
                Thread.SpinWait(random.Next(0, 64));
                switch (mode)
                {
                    case Lockstep.WriteAsync:
                        Assert.True(requests.Writer.TryWrite(2 * i));
                        Thread.SpinWait(random.Next(0, 64));
                        // Full: this write parks unless B's read has already made room.
                        WaitBounded(requests.Writer.WriteAsync((2 * i) + 1), $"round {i}: parked WriteAsync");
                        break;
                    case Lockstep.WaitToWriteAsync:
                        Assert.True(requests.Writer.TryWrite(2 * i));
                        Thread.SpinWait(random.Next(0, 64));
                        while (!requests.Writer.TryWrite((2 * i) + 1))
                        {
                            Assert.True(WaitBounded(requests.Writer.WaitToWriteAsync(), $"round {i}: parked WaitToWriteAsync"));
                        }

                        break;
                    default:
                        Assert.True(requests.Writer.TryWrite(i));
                        break;
                }

                Assert.Equal(i, PollBounded(acks.Reader, $"round {i}: ack"));
                Volatile.Write(ref rounds, i + 1);
            }

            requests.Writer.Complete();
        });

        // B: takes round i's request (parking, in the modes where B parks), then acks.
        Task b = RunOnThread("lockstep B", () =>
        {
            var random = new Random(4);
            for (int i = 0; ; i++)
            {
                for (int k = 0; k < (twoItems ? 2 : 1); k++)
                {
                    int expected = twoItems ? (2 * i) + k : i;
                    Thread.SpinWait(random.Next(0, 64));
                    int item;
                    switch (mode)
                    {
                        case Lockstep.ReadAsync:
                            try
                            {
                                item = WaitBounded(requests.Reader.ReadAsync(), $"round {i}: parked ReadAsync");
                            }
                            catch (ChannelClosedException)
                            {
                                return;
                            }

                            break;
                        case Lockstep.WaitToReadAsync:
                            while (!requests.Reader.TryRead(out item))
                            {
                                if (!WaitBounded(requests.Reader.WaitToReadAsync(), $"round {i}: parked WaitToReadAsync"))
                                {
                                    return;
                                }
                            }

                            break;
                        default:
                            if (k == 0 || mode == Lockstep.WaitToWriteAsync)
                            {
                                // A's write is the one that parks: poll for the first item, the read that makes room.
                                item = PollBounded(requests.Reader, $"round {i}: request {k}", stopWhenCompleted: true);
                                if (item == int.MinValue)
                                {
                                    return;
                                }
                            }
                            else
                            {
                                // Then wait for the parked write's item without TryRead first: a TryRead would
                                // itself move a parked writer's item in, and so hide a lost wake-up of that writer.
                                Assert.True(WaitBounded(requests.Reader.WaitToReadAsync(), $"round {i}: the parked write's item"));
                                Assert.True(requests.Reader.TryRead(out item));
                            }

                            break;
                    }

                    Assert.Equal(expected, item);
                }

                Assert.True(acks.Writer.TryWrite(i));
            }
        });

        // The first side to end shows its own failure, if any, rather than the other side's wait for it.
        Task first = await Task.WhenAny(a, b).WithTimeout($"lockstep exchange ({mode})");
        await first;
        await Task.WhenAll(a, b).WithTimeout($"lockstep exchange ({mode})");
        output.WriteLine($"{mode}: {rounds} rounds");
    }

    /// <summary>Runs <paramref name="body"/> on a dedicated thread (it blocks and spins; not for the thread pool).</summary>
    private static Task RunOnThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Waits, polling hot at first, until <paramref name="operation"/> completes, then takes its result; fails
    /// (instead of hanging) after <see cref="HangTimeout"/>. Polling rather than blocking keeps both sides of a
    /// lockstep exchange on a processor, so that their operations overlap.
    /// </summary>
    private static void WaitBounded(ValueTask operation, string what)
    {
        SpinUntil(() => operation.IsCompleted, what);
        operation.GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="WaitBounded(ValueTask, string)"/>
    private static T WaitBounded<T>(ValueTask<T> operation, string what)
    {
        SpinUntil(() => operation.IsCompleted, what);
        return operation.GetAwaiter().GetResult();
    }

    private static void SpinUntil(Func<bool> condition, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var spinner = default(SpinWait);
        for (int n = 0; !condition(); n++)
        {
            Assert.True(deadline.Elapsed < HangTimeout, $"{what}: never woken");
            // Hot for a short while (the partner is usually a few hundred nanoseconds away), then yield: on a
            // 2-core machine shared with other test processes, a long hot spin starves the very thread it waits for.
            if (n < 1_000)
            {
                Thread.SpinWait(4);
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>Polls with TryRead, hot at first, until an item comes; fails after <see cref="HangTimeout"/>.</summary>
    private static int PollBounded(ChannelReader<int> reader, string what, bool stopWhenCompleted = false)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var spinner = default(SpinWait);
        for (int n = 0; ; n++)
        {
            if (reader.TryRead(out int item))
            {
                return item;
            }

            if (stopWhenCompleted && reader.Completion.IsCompleted)
            {
                return int.MinValue;
            }

            Assert.True(deadline.Elapsed < HangTimeout, $"{what}: never came");
            // Hot for a short while (the partner is usually a few hundred nanoseconds away), then yield: on a
            // 2-core machine shared with other test processes, a long hot spin starves the very thread it waits for.
            if (n < 1_000)
            {
                Thread.SpinWait(4);
            }
            else
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public async Task Many_writers_and_many_readers_deliver_every_item_exactly_once(int capacity)
    {
        const int Writers = 4, PerWriter = 20_000, Total = Writers * PerWriter;
        var channel = new RingBufferChannel<int>(capacity);
        int[] seen = new int[Total];
        using var neverCanceled = new CancellationTokenSource();

        // Producers: WriteAsync (with and without a cancelable token), and TryWrite + WaitToWriteAsync.
        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Run(async () =>
            {
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    switch (writer)
                    {
                        case 0:
                            await channel.Writer.WriteAsync(i);
                            break;
                        case 1:
                            await channel.Writer.WriteAsync(i, neverCanceled.Token);
                            break;
                        default:
                            while (!channel.Writer.TryWrite(i))
                            {
                                Assert.True(await channel.Writer.WaitToWriteAsync(writer == 2 ? default : neverCanceled.Token));
                            }

                            break;
                    }
                }
            });
        }

        void See(int item) => Interlocked.Increment(ref seen[item]);

        // Consumers: ReadAsync, ReadAllAsync, WaitToReadAsync + TryRead, ReadAsync with a cancelable token.
        Task[] readers =
        [
            Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        See(await channel.Reader.ReadAsync());
                    }
                }
                catch (ChannelClosedException)
                {
                }
            }),
            Run(async () =>
            {
                await foreach (int item in channel.Reader.ReadAllAsync())
                {
                    See(item);
                }
            }),
            Run(async () =>
            {
                while (await channel.Reader.WaitToReadAsync())
                {
                    while (channel.Reader.TryRead(out int item))
                    {
                        See(item);
                    }
                }
            }),
            Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        See(await channel.Reader.ReadAsync(neverCanceled.Token));
                    }
                }
                catch (ChannelClosedException)
                {
                }
            }),
        ];

        await Task.WhenAll(writers).WithTimeout("writers");
        channel.Writer.Complete();
        await Task.WhenAll(readers).WithTimeout("readers");
        await channel.Reader.Completion.WithTimeout("Completion");

        int[] wrong = Enumerable.Range(0, Total).Where(i => seen[i] != 1).Take(10).ToArray();
        Assert.True(wrong.Length == 0, $"items not seen exactly once: {string.Join(", ", wrong.Select(i => $"{i}x{seen[i]}"))}");
        Assert.Equal(0, channel.Reader.Count);
    }

    [Fact]
    public async Task Writes_racing_Complete_are_either_accepted_and_read_or_failed_never_lost()
    {
        const int Rounds = 600;
        var random = new Random(42);
        int mixedRounds = 0, rounds = 0;
        var budget = System.Diagnostics.Stopwatch.StartNew();
        // A bounded number of rounds, cut short on a heavily loaded machine; every completed round is fully checked.
        for (int round = 0; round < Rounds && (round < 50 || budget.Elapsed < RoundsBudget); round++)
        {
            int capacity = 1 + (round % 5);
            // Complete mid-stream, while writers are running and parked: from the reader's thread, from a writer's
            // thread, or from a thread of its own, once the reader has seen this many items.
            int completeAfterReads = random.Next(0, 400);
            var completer = (Completer)(round % 3);
            (int accepted, int failed) = await RaceWritesAgainstComplete(capacity, completeAfterReads, completer, round).WithTimeout($"round {round}");
            rounds++;
            if (accepted > 0 && failed > 0)
            {
                mixedRounds++;
            }
        }

        output.WriteLine($"rounds where Complete landed mid-stream: {mixedRounds} of {rounds}");
    }

    private enum Completer
    {
        Reader,
        Writer,
        OwnThread,
    }

    private static async Task<(int Accepted, int Failed)> RaceWritesAgainstComplete(int capacity, int completeAfterReads, Completer completer, int round)
    {
        const int Writers = 3, PerWriter = 200;
        var channel = new RingBufferChannel<int>(capacity);
        var accepted = new ConcurrentBag<int>();
        var failed = new ConcurrentBag<int>();
        int readSoFar = 0;
        var reachedK = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Run(async () =>
            {
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    if (writer == 0)
                    {
                        if (completer == Completer.Writer && Volatile.Read(ref readSoFar) >= completeAfterReads)
                        {
                            channel.Writer.TryComplete();
                        }

                        // TryWrite, waiting for room; stops once WaitToWriteAsync says the channel is done.
                        bool done = false;
                        while (!channel.Writer.TryWrite(i))
                        {
                            if (!await channel.Writer.WaitToWriteAsync())
                            {
                                done = true;
                                break;
                            }
                        }

                        (done ? failed : accepted).Add(i);
                    }
                    else
                    {
                        try
                        {
                            await channel.Writer.WriteAsync(i);
                            accepted.Add(i);
                        }
                        catch (ChannelClosedException)
                        {
                            failed.Add(i);
                        }
                    }
                }

                if (writer == 0)
                {
                    // Whoever was to complete, make sure the round ends.
                    await reachedK.Task;
                    channel.Writer.TryComplete();
                }
            });
        }

        Task ownCompleter = completer == Completer.OwnThread
            ? reachedK.Task.ContinueWith(_ => channel.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
            : Task.CompletedTask;

        Task<List<int>> reader = Task.Run(async () =>
        {
            var read = new List<int>();
            if (completeAfterReads == 0)
            {
                reachedK.TrySetResult();
            }

            await foreach (int item in channel.Reader.ReadAllAsync())
            {
                read.Add(item);
                Volatile.Write(ref readSoFar, read.Count);
                if (read.Count >= completeAfterReads)
                {
                    if (completer == Completer.Reader)
                    {
                        channel.Writer.TryComplete();
                    }

                    reachedK.TrySetResult();
                }
            }

            return read;
        });

        await Task.WhenAll(writers);
        await ownCompleter;
        List<int> items = await reader;
        await channel.Reader.Completion;

        // Exactly the accepted writes were read, once each; every write either was accepted or failed.
        Assert.Equal(Writers * PerWriter, accepted.Count + failed.Count);
        Assert.True(items.Count == items.Distinct().Count(), $"round {round}: an item was read twice");
        var acceptedSet = accepted.ToHashSet();
        Assert.True(
            acceptedSet.SetEquals(items),
            $"round {round} (capacity {capacity}, {completer}): accepted-not-read [{string.Join(", ", acceptedSet.Except(items).Take(10))}], " +
            $"read-not-accepted [{string.Join(", ", items.Except(acceptedSet).Take(10))}]");

        // Each writer's accepted items came out in its order.
        for (int w = 0; w < Writers; w++)
        {
            int[] mine = items.Where(i => i / PerWriter == w).ToArray();
            Assert.True(mine.SequenceEqual(mine.Order()), $"round {round}: writer {w}'s items out of order");
        }

        return (accepted.Count, failed.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Hand_offs_racing_cancellations_lose_and_duplicate_nothing(int capacity)
    {
        const int Writers = 2, Readers = 2, PerWriter = 25_000, Total = Writers * PerWriter;
        var channel = new RingBufferChannel<int>(capacity);
        // 0: not finished, 1: write succeeded, 2: write canceled.
        int[] writeOutcome = new int[Total];
        int[] readCount = new int[Total];
        // Every operation (read or write) may offer its own token to be canceled, and cancels one offered by
        // someone else: cancellations land on other threads at arbitrary points of the operations they target.
        var toCancel = new ConcurrentQueue<CancellationTokenSource>();

        CancellationToken NextToken(Random random)
        {
            if (toCancel.TryDequeue(out CancellationTokenSource? victim))
            {
                victim.Cancel();
            }

            if (random.Next(3) == 0)
            {
                return default;
            }

            var cts = new CancellationTokenSource();
            toCancel.Enqueue(cts);
            return cts.Token;
        }

        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Run(async () =>
            {
                var random = new Random(100 + writer);
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    try
                    {
                        await channel.Writer.WriteAsync(i, NextToken(random));
                        writeOutcome[i] = 1;
                    }
                    catch (OperationCanceledException)
                    {
                        writeOutcome[i] = 2;
                    }
                }
            });
        }

        Task[] readers = new Task[Readers];
        for (int r = 0; r < Readers; r++)
        {
            int reader = r;
            readers[r] = Run(async () =>
            {
                var random = new Random(200 + reader);
                while (true)
                {
                    try
                    {
                        int item = await channel.Reader.ReadAsync(NextToken(random));
                        Interlocked.Increment(ref readCount[item]);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    catch (ChannelClosedException)
                    {
                        return;
                    }
                }
            });
        }

        await Task.WhenAll(writers).WithTimeout("writers");
        channel.Writer.Complete();
        await Task.WhenAll(readers).WithTimeout("readers");
        await channel.Reader.Completion.WithTimeout("Completion");
        while (toCancel.TryDequeue(out CancellationTokenSource? cts))
        {
            cts.Dispose();
        }

        var problems = new List<string>();
        int succeeded = 0, canceledWrites = 0;
        for (int i = 0; i < Total && problems.Count < 10; i++)
        {
            switch (writeOutcome[i])
            {
                case 1:
                    succeeded++;
                    if (readCount[i] != 1)
                    {
                        problems.Add($"item {i}: write succeeded, read {readCount[i]} times");
                    }

                    break;
                case 2:
                    canceledWrites++;
                    if (readCount[i] != 0)
                    {
                        problems.Add($"item {i}: write canceled, yet read {readCount[i]} times");
                    }

                    break;
                default:
                    problems.Add($"item {i}: write never finished");
                    break;
            }
        }

        output.WriteLine($"writes succeeded {succeeded}, canceled {canceledWrites}");
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        Assert.Equal(Total, succeeded + canceledWrites);
    }
}
