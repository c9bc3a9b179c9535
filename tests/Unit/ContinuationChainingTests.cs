using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Scheduling;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Continuation chaining (Scheduling/ContinuationTrampoline.cs): an operation woken from inside a channel
/// continuation runs next on the same worker instead of going through the thread-pool queue. These tests pin
/// down what must stay true of it: nothing that works with the thread pool deadlocks with a chain, and each
/// chained continuation starts from the contexts a fresh work item would have. (Channels chain only in
/// <see cref="ContinuationMode.Chained"/> mode.)
/// </summary>
[Collection(SchedulerCollection.Name)]
public class ContinuationChainingTests
{
    /// <summary>A rendezvous channel whose woken continuations may be chained (not the default).</summary>
    internal static RendezvousChannel<T> Chained<T>() => new(new RendezvousChannelOptions { ContinuationMode = ContinuationMode.Chained });

    /// <summary>Far beyond the rescuer's few milliseconds; only a deadlock reaches it.</summary>
    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chained_continuation_that_blocks_until_the_operation_it_woke_has_run_does_not_deadlock()
    {
        // Sync-over-async from inside a channel continuation: the client wakes the server's parked read (which is
        // deferred to the client's own chain), then blocks its thread until the server has run. With the thread
        // pool another worker would steal the server's continuation; a chain must let it be stolen too. A thread
        // that was backing off from chaining would not defer at all, so the scenario is repeated until the rescuer
        // is seen to steal during it.
        bool rescued = false;
        for (int attempt = 0; attempt < 20 && !rescued; attempt++)
        {
            long rescuedBefore = ContinuationTrampoline.RescuedCount;
            Assert.True(await ClientBlocksOnTheServerItWoke(), "The client blocked forever on the continuation it woke.");
            rescued = ContinuationTrampoline.RescuedCount > rescuedBefore;
        }

        Assert.True(rescued, "The rescuer never stole: the scenario did not happen.");
    }

    private static async Task<bool> ClientBlocksOnTheServerItWoke()
    {
        var trigger = Chained<int>();
        var requests = Chained<int>();
        using var served = new ManualResetEventSlim();

        Task server = Task.Run(async () =>
        {
            Assert.Equal(7, await requests.Reader.ReadAsync());
            served.Set();
        });
        Task<bool> client = Task.Run(async () =>
        {
            await trigger.Reader.ReadAsync();
            // Resumed by the thread pool through the channel's waiter: this continuation runs on a chain.
            Assert.True(requests.Writer.TryWrite(7), "The server is parked in ReadAsync.");
            return served.Wait(s_replyTimeout);
        });

        await WaitUntilParkedReaders(trigger, 1);
        await WaitUntilParkedReaders(requests, 1);
        await Eventually.Completes(trigger.Writer.WriteAsync(0));

        bool clientWasServed = await Eventually.Completes(client);
        await Eventually.Completes(server);
        trigger.Writer.Complete();
        requests.Writer.Complete();
        return clientWasServed;
    }

    [Fact]
    public async Task Each_chained_continuation_starts_from_a_clean_ExecutionContext_and_SynchronizationContext()
    {
        // Repeated until the second continuation did run chained (a thread backing off from chaining runs it as a
        // plain work item, which proves nothing); every attempt must see clean contexts.
        bool chained = false;
        for (int attempt = 0; attempt < 100 && !chained; attempt++)
        {
            (string? seenFlowed, SynchronizationContext? seenContext, chained) = await SecondContinuationAfterADirtyFirst();
            Assert.Null(seenFlowed);
            Assert.Null(seenContext);
            if (!chained)
            {
                await Task.Delay(20);
            }
        }

        Assert.True(chained, "The second continuation never ran chained: the scenario did not happen.");
    }

    private static async Task<(string? Flowed, SynchronizationContext? Context, bool Chained)> SecondContinuationAfterADirtyFirst()
    {
        var first = Chained<int>();
        var second = Chained<int>();
        var flowed = new AsyncLocal<string?>();
        var observed = new TaskCompletionSource<(string?, SynchronizationContext?, bool)>(
            TaskCreationOptions.RunContinuationsAsynchronously);

        await Task.Run(() =>
        {
            // Raw continuations (no async method restores anything for them), as a hand-written awaiter would use.
            ValueTaskAwaiter<int> secondRead = second.Reader.ReadAsync().GetAwaiter();
            secondRead.UnsafeOnCompleted(() =>
            {
                secondRead.GetResult();
                observed.SetResult((flowed.Value, SynchronizationContext.Current, ContinuationTrampoline.InChainedContinuation));
            });

            ValueTaskAwaiter<int> firstRead = first.Reader.ReadAsync().GetAwaiter();
            firstRead.UnsafeOnCompleted(() =>
            {
                firstRead.GetResult();
                // Leave both contexts dirty, then wake the second reader: it is chained right after us.
                flowed.Value = "leaked";
                SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
                Assert.True(second.Writer.TryWrite(2));
            });
        });

        await Eventually.Completes(first.Writer.WriteAsync(1));
        (string?, SynchronizationContext?, bool) result = await Eventually.Completes(observed.Task);
        first.Writer.Complete();
        second.Writer.Complete();
        return result;
    }

    [Fact]
    public async Task Items_arrive_exactly_once_while_the_rescuer_steals_from_chains()
    {
        // One reader, resumed on a chain, takes an item with TryRead, which defers the parked writer it took it
        // from to its chain, and then blocks its thread for ten rescuer periods; it repeats that until the rescuer
        // has stolen something. Every item must still arrive exactly once, and nothing may hang. (Planting a
        // rescuer that loses what it steals hangs this test; one that steals without the CAS crashes it.)
        // The rescuer's tick is a thread-pool work item, and so is the stolen continuation: with the blocked reader
        // on one worker and the test host's own work on the others, a 2-core pool could leave the tick waiting for
        // the pool to add a thread (about half a second), longer than a block lasts. Room for both, meanwhile.
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        ThreadPool.SetMinThreads(Math.Max(minWorkers, Environment.ProcessorCount + 4), minIo);
        try
        {
            // A block makes its thread back off from chaining (16 ms, doubling while stalls recur), so one run may
            // end before a second block gives the rescuer its chance: run again, up to a bound, until it has.
            int blocks = 0;
            bool rescued = false;
            for (int attempt = 0; attempt < 20 && !rescued; attempt++)
            {
                (int blocked, bool ownRescue) = await RunWithBlockingReader();
                blocks += blocked;
                rescued = ownRescue;
            }

            // The premise: a blocked reader's deferred writer was rescued (a test that never exercised it proves nothing).
            Assert.True(rescued, $"No deferred writer was rescued in {blocks} blocks: the scenario did not happen.");
        }
        finally
        {
            ThreadPool.SetMinThreads(minWorkers, minIo);
        }
    }

    /// <summary>One run: every item must arrive exactly once; returns the blocks made and whether one was rescued.</summary>
    private static async Task<(int Blocked, bool Rescued)> RunWithBlockingReader()
    {
        const int Writers = 4, Readers = 2, PerWriter = 4000, MaxBlocks = 40;
        var channel = Chained<long>();
        long[] seen = new long[Writers * PerWriter];
        int[] written = new int[Writers];
        int blocked = 0, ownRescues = 0;

        Task[] writers = new Task[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int writer = w;
            writers[w] = Task.Run(async () =>
            {
                for (int i = 0; i < PerWriter; i++)
                {
                    await channel.Writer.WriteAsync(((long)writer * PerWriter) + i);
                    Volatile.Write(ref written[writer], i + 1);
                }
            });
        }

        Task[] readers = new Task[Readers];
        for (int r = 0; r < Readers; r++)
        {
            bool blocks = r == 0;
            readers[r] = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        ValueTask<long> read = channel.Reader.ReadAsync();
                        // A read that parks is resumed by the pool through its waiter: on a chain.
                        bool resumedOnAChain = !read.IsCompleted;
                        long item = await read;
                        Interlocked.Increment(ref seen[item]);
                        if (blocks && resumedOnAChain && blocked < MaxBlocks && ownRescues == 0 &&
                            channel.Reader.TryRead(out long taken))
                        {
                            // Taking from a parked writer deferred it to this chain; now block past two ticks. If
                            // that writer moved on meanwhile, and the rescuer stole something, it was rescued.
                            Interlocked.Increment(ref seen[taken]);
                            blocked++;
                            int writer = (int)(taken / PerWriter);
                            int writtenBefore = Volatile.Read(ref written[writer]);
                            long rescuedBeforeBlock = ContinuationTrampoline.RescuedCount;
                            Thread.Sleep(40); // many periods of the rescuer (PeriodMicroseconds)
                            if (Volatile.Read(ref written[writer]) > writtenBefore &&
                                ContinuationTrampoline.RescuedCount > rescuedBeforeBlock)
                            {
                                ownRescues++;
                            }
                        }
                    }
                }
                catch (ChannelClosedException)
                {
                }
            });
        }

        await Eventually.Completes(Task.WhenAll(writers));
        channel.Writer.Complete();
        await Eventually.Completes(Task.WhenAll(readers));
        Assert.All(seen, count => Assert.Equal(1, count));
        return (blocked, ownRescues > 0);
    }

    internal static async Task WaitUntilParkedReaders(RendezvousChannel<int> channel, int readers)
    {
        // The channel's own diagnostics count parked operations (the same count its leak report gives).
        var deadline = DateTime.UtcNow + Eventually.HangTimeout;
        while (CountParkedReaders(channel) < readers)
        {
            Assert.True(DateTime.UtcNow < deadline, "The reader never parked.");
            await Task.Delay(1);
        }
    }

    private static int CountParkedReaders(RendezvousChannel<int> channel) =>
        ((Rendezvous.Channels.Diagnostics.ILeakTrackable)channel).BlockedReaders;
}
