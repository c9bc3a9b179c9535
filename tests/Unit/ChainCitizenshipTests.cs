using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Rendezvous.Channels.Scheduling;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Continuation scheduling as a good thread-pool citizen: each mechanism checked by a count or an order,
/// never a duration. Wake-ups from outside a chain go to the global queue; a chain yields when its time slice is
/// spent; a long continuation ends its chain and starts a back-off; nothing a continuation sets on its thread is seen
/// by the next chained one; the rescuer ticks only while some chain holds deferred work; a channel in ThreadPool mode
/// never chains.
/// </summary>
[Collection(SchedulerCollection.Name)]
public class ChainCitizenshipTests
{
    private static RendezvousChannel<int> Create(ContinuationMode mode) => new(new RendezvousChannelOptions { ContinuationMode = mode });

    [Theory]
    [InlineData(ContinuationMode.ThreadPool)]
    [InlineData(ContinuationMode.Chained)]
    public async Task A_wake_from_outside_a_chain_is_queued_behind_earlier_global_work(ContinuationMode mode)
    {
        // A pool thread that is not running a chain queues a marker M to the global queue, then wakes a parked reader
        // R. Whenever both then run on that thread, M must run first: R went to the global queue behind M, as with the
        // BCL. (In the local queue, the waker's thread would pop R before anything global.) Another worker may take
        // one of them; only attempts where the waker's thread ran both count, and at least one must.
        int witnessed = 0;
        for (int attempt = 0; attempt < 200 && witnessed < 3; attempt++)
        {
            RendezvousChannel<int> channel = Create(mode);
            var ran = new ConcurrentQueue<(char What, int Thread)>();
            int remaining = 2, waker = 0;
            var bothRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Ran(char what)
            {
                ran.Enqueue((what, Environment.CurrentManagedThreadId));
                if (Interlocked.Decrement(ref remaining) == 0)
                {
                    bothRan.SetResult();
                }
            }

            ValueTaskAwaiter<int> read = channel.Reader.ReadAsync().GetAwaiter();
            Assert.False(read.IsCompleted);
            read.UnsafeOnCompleted(() =>
            {
                read.GetResult();
                Ran('R');
            });

            // The waker is a plain work item (nothing awaits it inline, so its thread goes straight back to the pool's
            // queues when it returns).
            ThreadPool.UnsafeQueueUserWorkItem<object?>(
                _ =>
                {
                    Volatile.Write(ref waker, Environment.CurrentManagedThreadId);
                    ThreadPool.UnsafeQueueUserWorkItem<object?>(_ => Ran('M'), null, preferLocal: false);
                    Assert.True(channel.Writer.TryWrite(1), "The reader is parked.");
                },
                null,
                preferLocal: false);

            await Eventually.Completes(bothRan.Task, "the marker and the woken reader");
            (char What, int Thread)[] order = ran.ToArray();
            if (order.All(entry => entry.Thread == Volatile.Read(ref waker)))
            {
                witnessed++;
                Assert.Equal("MR", new string(order.Select(entry => entry.What).ToArray()));
            }

            channel.Writer.Complete();
        }

        Assert.True(witnessed > 0, "The waker's thread never ran both: the scenario did not happen.");
    }

    [Fact]
    public async Task Each_chained_continuation_starts_from_a_clean_thread()
    {
        // What a fresh pool work item sees; the second continuation, chained after a first that changed everything,
        // must see the same.
        var fresh = new TaskCompletionSource<ThreadSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreadPool.UnsafeQueueUserWorkItem<object?>(_ => fresh.SetResult(ThreadSnapshot.Take()), null, preferLocal: false);
        ThreadSnapshot expected = await Eventually.Completes(fresh.Task);

        bool chained = false;
        for (int attempt = 0; attempt < 100 && !chained; attempt++)
        {
            (ThreadSnapshot seen, chained) = await SecondContinuationAfterADirtyThread();
            Assert.Equal(expected, seen);
            if (!chained)
            {
                await Task.Delay(20);
            }
        }

        Assert.True(chained, "The second continuation never ran chained: the scenario did not happen.");
    }

    private static async Task<(ThreadSnapshot Seen, bool Chained)> SecondContinuationAfterADirtyThread()
    {
        RendezvousChannel<int> first = Create(ContinuationMode.Chained), second = Create(ContinuationMode.Chained);
        var observed = new TaskCompletionSource<(ThreadSnapshot, bool)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(() =>
        {
            ValueTaskAwaiter<int> secondRead = second.Reader.ReadAsync().GetAwaiter();
            secondRead.UnsafeOnCompleted(() =>
            {
                secondRead.GetResult();
                observed.SetResult((ThreadSnapshot.Take(), ContinuationTrampoline.InChainedContinuation));
            });
            ValueTaskAwaiter<int> firstRead = first.Reader.ReadAsync().GetAwaiter();
            firstRead.UnsafeOnCompleted(() =>
            {
                firstRead.GetResult();
                // Leave the thread dirty, then wake the second reader: it is chained right after us.
                Thread thread = Thread.CurrentThread;
                thread.Name = "dirty";
                thread.Priority = ThreadPriority.BelowNormal;
                thread.IsBackground = false;
                // (The tests run in globalization-invariant mode: a modified clone stands for another culture.)
                var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
                culture.NumberFormat.NumberDecimalSeparator = ",";
                CultureInfo.CurrentCulture = culture;
                SynchronizationContext.SetSynchronizationContext(new SynchronizationContext());
                Assert.True(second.Writer.TryWrite(2));
            });
        });

        await Eventually.Completes(first.Writer.WriteAsync(1));
        (ThreadSnapshot, bool) result = await Eventually.Completes(observed.Task);
        first.Writer.Complete();
        second.Writer.Complete();
        return result;
    }

    private readonly record struct ThreadSnapshot(string? Name, ThreadPriority Priority, bool IsBackground, string DecimalSeparator, bool HasSyncContext)
    {
        public static ThreadSnapshot Take()
        {
            Thread thread = Thread.CurrentThread;
            return new(thread.Name, thread.Priority, thread.IsBackground, CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator, SynchronizationContext.Current is not null);
        }
    }

    [Fact]
    public async Task A_chain_of_short_continuations_ends_when_its_slice_is_spent()
    {
        // Ping-pong whose continuations each spin 30 µs (below the long-continuation line): a chain yields once its
        // ~100 µs slice is spent, so runs of consecutive chained continuations stay short. A chain judged by a count
        // of 1024 runs 30 ms on one worker. (The spin only gives the continuations a length; what is checked is a count.)
        const int RoundTrips = 2000;
        RendezvousChannel<int> ping = Create(ContinuationMode.Chained), pong = Create(ContinuationMode.Chained);
        var chainedInARow = new int[1];
        int longest = 0, chainedSeen = 0;
        void Note()
        {
            if (ContinuationTrampoline.InChainedContinuation)
            {
                chainedSeen++;
                longest = Math.Max(longest, ++chainedInARow[0]);
            }
            else
            {
                chainedInARow[0] = 0;
            }

            Spin(TimeSpan.FromMicroseconds(30));
        }

        // The two loops alternate strictly (each waits for the other), so the counters need no synchronization
        // beyond the channel's own hand-offs.
        Task server = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                int item = await ping.Reader.ReadAsync();
                Note();
                await pong.Writer.WriteAsync(item);
            }
        });
        Task client = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                await ping.Writer.WriteAsync(i);
                Assert.Equal(i, await pong.Reader.ReadAsync());
                Note();
            }
        });

        await Eventually.Completes(Task.WhenAll(server, client));
        Assert.True(chainedSeen > 0, "No continuation ran chained: the scenario did not happen.");
        Assert.True(longest < 256, $"{longest} continuations ran chained in a row: the chain ignored its time slice.");
    }

    [Fact]
    public async Task A_long_continuation_ends_its_chain_and_starts_a_back_off()
    {
        // X (pool-dispatched) wakes Y, chained; Y spins 500 µs, then wakes Z. Y is judged on its own right after it
        // returns: Z must not run chained after it, and the thread must back off.
        for (int attempt = 0; attempt < 30; attempt++)
        {
            long backOffsBefore = ContinuationTrampoline.BackOffCount;
            (bool yChained, bool zChained) = await LongSecondContinuation();
            if (!yChained)
            {
                // X's thread was still backing off from an earlier chain; try again later.
                await Task.Delay(100);
                continue;
            }

            Assert.False(zChained, "Z ran chained right after a 500 µs continuation.");
            Assert.True(ContinuationTrampoline.BackOffCount > backOffsBefore, "No back-off started after a 500 µs continuation.");
            return;
        }

        Assert.Fail("Y never ran chained: the scenario did not happen.");
    }

    private static async Task<(bool YChained, bool ZChained)> LongSecondContinuation()
    {
        RendezvousChannel<int> x = Create(ContinuationMode.Chained), y = Create(ContinuationMode.Chained), z = Create(ContinuationMode.Chained);
        bool yChained = false;
        var zRan = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(() =>
        {
            ValueTaskAwaiter<int> zRead = z.Reader.ReadAsync().GetAwaiter();
            zRead.UnsafeOnCompleted(() =>
            {
                zRead.GetResult();
                zRan.SetResult(ContinuationTrampoline.InChainedContinuation);
            });
            ValueTaskAwaiter<int> yRead = y.Reader.ReadAsync().GetAwaiter();
            yRead.UnsafeOnCompleted(() =>
            {
                yRead.GetResult();
                yChained = ContinuationTrampoline.InChainedContinuation;
                Spin(TimeSpan.FromMicroseconds(500));
                Assert.True(z.Writer.TryWrite(3));
            });
            ValueTaskAwaiter<int> xRead = x.Reader.ReadAsync().GetAwaiter();
            xRead.UnsafeOnCompleted(() =>
            {
                xRead.GetResult();
                Assert.True(y.Writer.TryWrite(2));
            });
        });

        await Eventually.Completes(x.Writer.WriteAsync(1));
        bool zChained = await Eventually.Completes(zRan.Task);
        return (yChained, zChained);
    }

    [Fact]
    public async Task The_rescuer_stops_within_two_idle_ticks_after_the_last_chain()
    {
        StalledChainRescuer rescuer = StalledChainRescuer.Shared;
        for (int attempt = 0; attempt < 30; attempt++)
        {
            await UntilStopped(rescuer);
            long startsBefore = rescuer.StartCount;
            // One chain that defers: X wakes Y from inside its continuation.
            (bool yChained, _) = await ChainOfTwo();
            if (!yChained || rescuer.StartCount == startsBefore)
            {
                await Task.Delay(100);
                continue;
            }

            await UntilStopped(rescuer);
            // Counted by the rescuer itself: the idle ticks it waited before this stop.
            Assert.InRange(rescuer.IdleTicksAtLastStop, 1, 2);
            return;
        }

        Assert.Fail("No chain deferred anything: the scenario did not happen.");
    }

    [Fact]
    public async Task A_continuation_that_defers_nothing_does_not_start_the_rescuer()
    {
        StalledChainRescuer rescuer = StalledChainRescuer.Shared;
        await UntilStopped(rescuer);
        long startsBefore = rescuer.StartCount;
        RendezvousChannel<int> channel = Create(ContinuationMode.Chained);
        int ran = 0;
        for (int i = 0; i < 100; i++)
        {
            // Woken from the test's thread (no chain), each continuation runs as a chain of one that wakes nothing.
            ValueTaskAwaiter<int> read = channel.Reader.ReadAsync().GetAwaiter();
            read.UnsafeOnCompleted(() =>
            {
                read.GetResult();
                Interlocked.Increment(ref ran);
            });
            Assert.True(channel.Writer.TryWrite(i));
            while (Volatile.Read(ref ran) <= i)
            {
                await Task.Delay(1);
            }
        }

        Assert.Equal(startsBefore, rescuer.StartCount);
    }

    [Fact]
    public async Task ThreadPool_mode_never_runs_a_woken_continuation_chained()
    {
        Assert.Equal(0, await ChainedContinuationsInPingPong(ContinuationMode.ThreadPool));
        // The premise: the identical run in Chained mode does chain. A thread backed off chaining (after a long or
        // blocked continuation of another test) may not chain in one run, so run it again, up to 20 times.
        int chained = 0;
        for (int attempt = 0; attempt < 20 && chained == 0; attempt++)
        {
            chained = await ChainedContinuationsInPingPong(ContinuationMode.Chained);
        }

        Assert.True(chained > 0, "Chained mode never chained in 20 runs: the scenario did not happen.");
    }

    private static async Task<int> ChainedContinuationsInPingPong(ContinuationMode mode)
    {
        const int RoundTrips = 10_000;
        RendezvousChannel<int> ping = Create(mode), pong = Create(mode);
        int chained = 0;
        Task server = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                int item = await ping.Reader.ReadAsync();
                chained += ContinuationTrampoline.InChainedContinuation ? 1 : 0;
                await pong.Writer.WriteAsync(item);
            }
        });
        Task client = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                await ping.Writer.WriteAsync(i);
                await pong.Reader.ReadAsync();
                Interlocked.Add(ref chained, ContinuationTrampoline.InChainedContinuation ? 1 : 0);
            }
        });
        await Eventually.Completes(Task.WhenAll(server, client));
        return Volatile.Read(ref chained);
    }

    private static async Task<(bool YChained, bool Ran)> ChainOfTwo()
    {
        RendezvousChannel<int> x = Create(ContinuationMode.Chained), y = Create(ContinuationMode.Chained);
        var yRan = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(() =>
        {
            ValueTaskAwaiter<int> yRead = y.Reader.ReadAsync().GetAwaiter();
            yRead.UnsafeOnCompleted(() =>
            {
                yRead.GetResult();
                yRan.SetResult(ContinuationTrampoline.InChainedContinuation);
            });
            ValueTaskAwaiter<int> xRead = x.Reader.ReadAsync().GetAwaiter();
            xRead.UnsafeOnCompleted(() =>
            {
                xRead.GetResult();
                Assert.True(y.Writer.TryWrite(2));
            });
        });
        await Eventually.Completes(x.Writer.WriteAsync(1));
        return (await Eventually.Completes(yRan.Task), true);
    }

    private static async Task UntilStopped(StalledChainRescuer rescuer)
    {
        var deadline = DateTime.UtcNow + Eventually.HangTimeout;
        while (rescuer.State != StalledChainRescuer.Stopped)
        {
            Assert.True(DateTime.UtcNow < deadline, "The rescuer never stopped.");
            await Task.Delay(1);
        }
    }

    private static void Spin(TimeSpan length)
    {
        long until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }
    }
}
