using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace RendezvousChannel.Tests.Unit;

/// <summary>
/// Continuation chaining (Internal/ContinuationTrampoline.cs): an operation woken from inside a channel
/// continuation runs next on the same worker instead of going through the thread-pool queue. These tests pin
/// down what must stay true of it: nothing that works with the thread pool deadlocks with a chain, and each
/// chained continuation starts from the contexts a fresh work item would have.
/// </summary>
public class ContinuationChainingTests
{
    /// <summary>Far beyond the rescuer's few milliseconds; only a deadlock reaches it.</summary>
    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_chained_continuation_that_blocks_until_the_operation_it_woke_has_run_does_not_deadlock()
    {
        // Sync-over-async from inside a channel continuation: the client wakes the server's parked read (which is
        // deferred to the client's own chain), then blocks its thread until the server has run. With the thread
        // pool another worker would steal the server's continuation; a chain must let it be stolen too.
        var trigger = new RendezvousChannel<int>();
        var requests = new RendezvousChannel<int>();
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

        Assert.True(await Eventually.Completes(client), "The client blocked forever on the continuation it woke.");
        await Eventually.Completes(server);
        trigger.Writer.Complete();
        requests.Writer.Complete();
    }

    [Fact]
    public async Task Each_chained_continuation_starts_from_a_clean_ExecutionContext_and_SynchronizationContext()
    {
        var first = new RendezvousChannel<int>();
        var second = new RendezvousChannel<int>();
        var flowed = new AsyncLocal<string?>();
        var observed = new TaskCompletionSource<(string? Flowed, SynchronizationContext? Context)>(
            TaskCreationOptions.RunContinuationsAsynchronously);

        await Task.Run(() =>
        {
            // Raw continuations (no async method restores anything for them), as a hand-written awaiter would use.
            ValueTaskAwaiter<int> secondRead = second.Reader.ReadAsync().GetAwaiter();
            secondRead.UnsafeOnCompleted(() =>
            {
                secondRead.GetResult();
                observed.SetResult((flowed.Value, SynchronizationContext.Current));
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
        (string? seenFlowed, SynchronizationContext? seenContext) = await Eventually.Completes(observed.Task);
        Assert.Null(seenFlowed);
        Assert.Null(seenContext);
        first.Writer.Complete();
        second.Writer.Complete();
    }

    private static async Task WaitUntilParkedReaders(RendezvousChannel<int> channel, int readers)
    {
        // The channel's own diagnostics count parked operations (the same count its leak report gives).
        var deadline = DateTime.UtcNow + RingBufferTestSupport.HangTimeout;
        while (CountParkedReaders(channel) < readers)
        {
            Assert.True(DateTime.UtcNow < deadline, "The reader never parked.");
            await Task.Delay(1);
        }
    }

    private static int CountParkedReaders(RendezvousChannel<int> channel) =>
        ((RendezvousChannel.Internal.ILeakTrackable)channel).BlockedReaders;
}
