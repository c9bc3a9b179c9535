namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; under concurrency, where only a buffer can be tested: order across many laps of the
/// ring with a concurrent writer and reader, and lockstep exchanges in which a lost wake-up of a party parked on a
/// full or empty ring would stop the exchange. What both channels promise under concurrency is in
/// Contract/StressContractTests.cs and Contract/RaceContractTests.cs.
/// </summary>
[Collection(StressCollection.Name)]
public class RingBufferChannelStressTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public async Task Items_wrap_around_many_laps_with_a_concurrent_writer_and_reader(int capacity)
    {
        const int Items = 100_000;
        var channel = new RingBufferChannel<int>(capacity);
        Task writer = Task.Run(async () =>
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

        await Eventually.Completes(writer, "writer");
        Assert.Equal(Items, await Eventually.Completes(reader, "reader"));
        await Eventually.Completes(channel.Reader.Completion, "Completion");
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
        Task first = await Eventually.Completes(Task.WhenAny(a, b), $"lockstep exchange ({mode})");
        await first;
        await Eventually.Completes(Task.WhenAll(a, b), $"lockstep exchange ({mode})");
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
    /// (instead of hanging) after <see cref="Eventually.HangTimeout"/>. Polling rather than blocking keeps both sides of a
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
            Assert.True(deadline.Elapsed < Eventually.HangTimeout, $"{what}: never woken");
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

    /// <summary>Polls with TryRead, hot at first, until an item comes; fails after <see cref="Eventually.HangTimeout"/>.</summary>
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

            Assert.True(deadline.Elapsed < Eventually.HangTimeout, $"{what}: never came");
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
}
