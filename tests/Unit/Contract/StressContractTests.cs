using System.Collections.Concurrent;

namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// Our channels under many threads: every item that a write reports delivered is read exactly once and in its
/// writer's order, and no other item is read, whether writes race each other, cancellations or completion. Every
/// check is on results (which items came out, how often, in which order), never on timing. The one-against-one
/// races, round by round, are in <see cref="RaceContractTests"/>.
/// </summary>
[Collection(StressCollection.Name)]
public class StressContractTests(ITestOutputHelper output)
{
    private const int WriterShift = 24;

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.StressedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Many_writers_and_many_readers_deliver_every_item_exactly_once(string channel)
    {
        const int Writers = 4, PerWriter = 20_000, Total = Writers * PerWriter;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        int[] seen = new int[Total];
        using var neverCanceled = new CancellationTokenSource();

        // Producers: WriteAsync (with and without a cancelable token), and TryWrite + WaitToWriteAsync (which, on a
        // rendezvous channel, meet the readers parked in ReadAsync).
        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Task.Run(async () =>
            {
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    switch (writer)
                    {
                        case 0:
                            await c.Writer.WriteAsync(i);
                            break;
                        case 1:
                            await c.Writer.WriteAsync(i, neverCanceled.Token);
                            break;
                        default:
                            while (!c.Writer.TryWrite(i))
                            {
                                Assert.True(await c.Writer.WaitToWriteAsync(writer == 2 ? default : neverCanceled.Token));
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
            Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        See(await c.Reader.ReadAsync());
                    }
                }
                catch (ChannelClosedException)
                {
                }
            }),
            Task.Run(async () =>
            {
                await foreach (int item in c.Reader.ReadAllAsync())
                {
                    See(item);
                }
            }),
            Task.Run(async () =>
            {
                while (await c.Reader.WaitToReadAsync())
                {
                    while (c.Reader.TryRead(out int item))
                    {
                        See(item);
                    }
                }
            }),
            Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        See(await c.Reader.ReadAsync(neverCanceled.Token));
                    }
                }
                catch (ChannelClosedException)
                {
                }
            }),
        ];

        await Eventually.Completes(Task.WhenAll(writers), "writers");
        c.Writer.Complete();
        await Eventually.Completes(Task.WhenAll(readers), "readers");
        await Eventually.Completes(c.Reader.Completion, "Completion");

        int[] wrong = Enumerable.Range(0, Total).Where(i => seen[i] != 1).Take(10).ToArray();
        Assert.True(wrong.Length == 0, $"items not seen exactly once: {string.Join(", ", wrong.Select(i => $"{i}x{seen[i]}"))}");
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.StressedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Each_writers_items_keep_their_order_under_concurrent_writers(string channel)
    {
        const int Writers = 4, PerWriter = 20_000;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Task.Run(async () =>
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    int item = (writer << WriterShift) | i;
                    if (writer % 2 == 0)
                    {
                        await c.Writer.WriteAsync(item);
                    }
                    else
                    {
                        while (!c.Writer.TryWrite(item))
                        {
                            Assert.True(await c.Writer.WaitToWriteAsync());
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
                int item = await c.Reader.ReadAsync();
                int writer = item >> WriterShift, seq = item & ((1 << WriterShift) - 1);
                // No gap, no repeat, no reordering within one writer's stream.
                Assert.Equal(next[writer], seq);
                next[writer]++;
            }

            return next;
        });

        await Eventually.Completes(Task.WhenAll(writers), "writers");
        int[] counts = await Eventually.Completes(reader, "reader");
        Assert.All(counts, n => Assert.Equal(PerWriter, n));
        Assert.False(c.Reader.TryRead(out _));
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.StressedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Hand_offs_racing_cancellations_lose_and_duplicate_nothing(string channel)
    {
        const int Writers = 2, Readers = 2, PerWriter = 25_000, Total = Writers * PerWriter;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
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
            writers[w] = Task.Run(async () =>
            {
                var random = new Random(100 + writer);
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    try
                    {
                        await c.Writer.WriteAsync(i, NextToken(random));
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
            readers[r] = Task.Run(async () =>
            {
                var random = new Random(200 + reader);
                while (true)
                {
                    try
                    {
                        int item = await c.Reader.ReadAsync(NextToken(random));
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

        await Eventually.Completes(Task.WhenAll(writers), "writers");
        c.Writer.Complete();
        await Eventually.Completes(Task.WhenAll(readers), "readers");
        await Eventually.Completes(c.Reader.Completion, "Completion");
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

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.RacedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_write_racing_its_cancellation_is_either_read_once_or_never(string channel)
    {
        // Each round: a write with a cancelable token, a reader, and a cancel, on three threads.
        const int Rounds = 20_000;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        var delivered = new ConcurrentDictionary<int, int>();
        var succeeded = new Dictionary<int, bool>();

        Task reader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    int item = await c.Reader.ReadAsync();
                    delivered.AddOrUpdate(item, 1, (_, n) => n + 1);
                }
            }
            catch (ChannelClosedException)
            {
            }
        });

        for (int round = 0; round < Rounds; round++)
        {
            using var cts = new CancellationTokenSource();
            Task write = c.Writer.WriteAsync(round, cts.Token).AsTask();
            Task cancel = Task.Run(cts.Cancel);
            try
            {
                await Eventually.Completes(write);
                succeeded[round] = true;
            }
            catch (OperationCanceledException)
            {
                succeeded[round] = false;
            }

            await cancel;
        }

        c.Writer.Complete();
        await Eventually.Completes(reader);

        Assert.All(delivered, pair => Assert.Equal(1, pair.Value));
        foreach ((int item, bool ok) in succeeded)
        {
            Assert.Equal(ok, delivered.ContainsKey(item));
        }

        Assert.Equal(succeeded.Count(p => p.Value), delivered.Count);
        Assert.Contains(succeeded, p => p.Value);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.RacedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Reads_racing_their_cancellation_never_lose_an_item(string channel)
    {
        const int Rounds = 20_000;
        Channel<int> c = ChannelsUnderTest.Named(channel).Create<int>();
        var got = new List<int>();
        int writesOk = 0;
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                await c.Writer.WriteAsync(i);
                writesOk++;
            }

            c.Writer.Complete();
        });

        while (true)
        {
            using var cts = new CancellationTokenSource();
            Task<int> read = c.Reader.ReadAsync(cts.Token).AsTask();
            Task cancel = Task.Run(cts.Cancel);
            try
            {
                got.Add(await Eventually.Completes(read));
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChannelClosedException)
            {
                break;
            }

            await cancel;
        }

        await Eventually.Completes(writer);
        Assert.Equal(Rounds, writesOk);
        Assert.Equal(Enumerable.Range(0, Rounds), got);
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.StressedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task A_burst_of_parked_writes_racing_Complete_either_delivers_or_fails(string channel)
    {
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        for (int round = 0; round < 200; round++)
        {
            Channel<int> c = f.Create<int>();
            var read = new ConcurrentBag<int>();
            Task readers = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await foreach (int item in c.Reader.ReadAllAsync())
                {
                    read.Add(item);
                }
            })));
            Task[] writes = Enumerable.Range(0, 8).Select(i => c.Writer.WriteAsync(i).AsTask()).ToArray();
            await Task.Yield();
            c.Writer.Complete();
            var ok = new List<int>();
            for (int i = 0; i < writes.Length; i++)
            {
                try
                {
                    await Eventually.Completes(writes[i]);
                    ok.Add(i);
                }
                catch (ChannelClosedException)
                {
                }
            }

            await Eventually.Completes(readers);
            Assert.Equal(ok.Order(), read.Order());
        }
    }

    [Theory]
    [MemberData(nameof(ChannelsUnderTest.StressedNames), MemberType = typeof(ChannelsUnderTest))]
    public async Task Writes_racing_Complete_are_either_accepted_and_read_or_failed_never_lost(string channel)
    {
        const int Rounds = 600;
        ChannelFactory f = ChannelsUnderTest.Named(channel);
        var random = new Random(42);
        int mixedRounds = 0, rounds = 0;
        var budget = System.Diagnostics.Stopwatch.StartNew();
        // A bounded number of rounds, cut short on a heavily loaded machine; every completed round is fully checked.
        for (int round = 0; round < Rounds && (round < 50 || budget.Elapsed < RoundsBudget); round++)
        {
            // Complete mid-stream, while writers are running and parked: from the reader's thread, from a writer's
            // thread, or from a thread of its own, once the reader has seen this many items.
            int completeAfterReads = random.Next(0, 400);
            var completer = (Completer)(round % 3);
            bool readAll = round % 2 == 0;
            (int accepted, int failed) = await Eventually.Completes(RaceWritesAgainstComplete(f, readAll, completeAfterReads, completer, round), $"round {round}");
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

    private static async Task<(int Accepted, int Failed)> RaceWritesAgainstComplete(ChannelFactory f, bool readAll, int completeAfterReads, Completer completer, int round)
    {
        const int Writers = 3, PerWriter = 200;
        Channel<int> channel = f.Create<int>();
        var accepted = new ConcurrentBag<int>();
        var failed = new ConcurrentBag<int>();
        int readSoFar = 0;
        var reachedK = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Writer 0 uses TryWrite + WaitToWriteAsync. On a rendezvous channel those meet only a reader parked in
        // ReadAsync, never ReadAllAsync (which waits with WaitToReadAsync): the documented Try/WaitTo rule. So in
        // the ReadAllAsync rounds of an unbuffered channel, writer 0 uses WriteAsync like the others.
        bool tryWriter = !(readAll && f.IsUnbuffered);

        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Task.Run(async () =>
            {
                for (int i = writer * PerWriter; i < (writer + 1) * PerWriter; i++)
                {
                    if (writer == 0 && completer == Completer.Writer && Volatile.Read(ref readSoFar) >= completeAfterReads)
                    {
                        channel.Writer.TryComplete();
                    }

                    if (writer == 0 && tryWriter)
                    {
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

            void Saw(int item)
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

            if (readAll)
            {
                await foreach (int item in channel.Reader.ReadAllAsync())
                {
                    Saw(item);
                }
            }
            else
            {
                try
                {
                    while (true)
                    {
                        Saw(await channel.Reader.ReadAsync());
                    }
                }
                catch (ChannelClosedException)
                {
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
            $"round {round} ({f}, {completer}): accepted-not-read [{string.Join(", ", acceptedSet.Except(items).Take(10))}], " +
            $"read-not-accepted [{string.Join(", ", items.Except(acceptedSet).Take(10))}]");

        // Each writer's accepted items came out in its order.
        for (int w = 0; w < Writers; w++)
        {
            int[] mine = items.Where(i => i / PerWriter == w).ToArray();
            Assert.True(mine.SequenceEqual(mine.Order()), $"round {round}: writer {w}'s items out of order");
        }

        return (accepted.Count, failed.Count);
    }
}
