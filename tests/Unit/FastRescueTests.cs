using System;
using System.Threading;
using System.Threading.Tasks;
using Rendezvous.Channels.Scheduling;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The rescuer's two speeds (Scheduling/ThreadPoolChainHost.cs): a chained continuation that blocks right after
/// deferring the partner it woke (sync-over-async) is rescued by the fast ticks that follow the rescuer's start,
/// or that a new chain asks for after an idle tick, not left to the slow timer. These tests check which ticker
/// rescued (the host counts them), never how long anything took.
/// </summary>
[Collection(SchedulerCollection.Name)]
public class FastRescueTests
{
    private static ThreadPoolChainHost Host => (ThreadPoolChainHost)StalledChainRescuer.Shared.Host;

    [Fact]
    public async Task A_chain_that_blocks_right_after_deferring_is_rescued_by_a_fast_tick()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            // From a stopped rescuer, this chain's deferral starts it, and the fast ticks with it.
            await UntilStopped();
            long rescuedBefore = ContinuationTrampoline.RescuedCount;
            long fastBefore = Host.FastRescues;
            await ClientBlocksOnTheServerItWoke(beforeTrigger: null);
            if (ContinuationTrampoline.RescuedCount == rescuedBefore)
            {
                // The client's thread was backing off and deferred nothing: not the scenario; again.
                continue;
            }

            Assert.True(Host.FastRescues > fastBefore, "A chain blocked at the rescuer's start was left to the slow timer.");
            return;
        }

        Assert.Fail("The rescuer never stole: the scenario did not happen.");
    }

    [Fact]
    public async Task A_chain_that_defers_after_an_idle_slow_tick_is_rescued_by_a_fast_tick()
    {
        for (int attempt = 0; attempt < 30; attempt++)
        {
            await UntilStopped();
            long rescuedBefore = ContinuationTrampoline.RescuedCount;
            long fastBefore = Host.FastRescues;
            long startsBefore = 0, hurriesBefore = 0;
            bool premise = false;
            await ClientBlocksOnTheServerItWoke(beforeTrigger: async () =>
            {
                // A healthy chain long enough to hand the watch over to the slow timer, then nothing: the slow
                // timer's next tick is idle, and the client's chain defers after it, while the rescuer still ticks.
                await ChainedPingPong(TimeSpan.FromMilliseconds(20));
                premise = await UntilSlowAndIdle();
                startsBefore = StalledChainRescuer.Shared.StartCount;
                hurriesBefore = StalledChainRescuer.Shared.HurryCount;
            });
            // The premise: the client's chain deferred while the rescuer still ticked (no new start), after an idle tick.
            premise = premise && StalledChainRescuer.Shared.StartCount == startsBefore && StalledChainRescuer.Shared.HurryCount > hurriesBefore;
            if (!premise || ContinuationTrampoline.RescuedCount == rescuedBefore)
            {
                continue;
            }

            Assert.True(Host.FastRescues > fastBefore, "A chain that deferred after an idle slow tick was left to the slow timer.");
            return;
        }

        Assert.Fail("The scenario (an idle slow tick, then a blocked chain) never happened.");
    }

    /// <summary>
    /// The client, resumed on a chain, wakes the server's parked read (deferred to the client's chain), then blocks
    /// until the server has run: only a rescue lets it go on.
    /// </summary>
    private static async Task ClientBlocksOnTheServerItWoke(Func<Task>? beforeTrigger)
    {
        RendezvousChannel<int> trigger = ContinuationChainingTests.Chained<int>();
        RendezvousChannel<int> requests = ContinuationChainingTests.Chained<int>();
        using var served = new ManualResetEventSlim();
        Task server = Task.Run(async () =>
        {
            Assert.Equal(7, await requests.Reader.ReadAsync());
            served.Set();
        });
        Task<bool> client = Task.Run(async () =>
        {
            await trigger.Reader.ReadAsync();
            Assert.True(requests.Writer.TryWrite(7), "The server is parked in ReadAsync.");
            return served.Wait(Eventually.HangTimeout);
        });

        await ContinuationChainingTests.WaitUntilParkedReaders(trigger, 1);
        await ContinuationChainingTests.WaitUntilParkedReaders(requests, 1);
        if (beforeTrigger is not null)
        {
            await beforeTrigger();
        }

        Assert.True(trigger.Writer.TryWrite(0));
        Assert.True(await Eventually.Completes(client), "The client blocked forever on the continuation it woke.");
        await Eventually.Completes(server);
        trigger.Writer.Complete();
        requests.Writer.Complete();
    }

    private static async Task ChainedPingPong(TimeSpan length)
    {
        RendezvousChannel<int> ping = ContinuationChainingTests.Chained<int>();
        RendezvousChannel<int> pong = ContinuationChainingTests.Chained<int>();
        int stop = 0;
        Task pinger = Task.Run(async () =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                await ping.Writer.WriteAsync(1);
                await pong.Reader.ReadAsync();
            }

            ping.Writer.Complete();
        });
        Task ponger = Task.Run(async () =>
        {
            await foreach (int item in ping.Reader.ReadAllAsync())
            {
                await pong.Writer.WriteAsync(item);
            }
        });
        await Task.Delay(length);
        Volatile.Write(ref stop, 1);
        await Eventually.Completes(Task.WhenAll(pinger, ponger));
    }

    /// <summary>Waits (on this thread, without a chain) until the slow timer watches and has had an idle tick.</summary>
    private static async Task<bool> UntilSlowAndIdle()
    {
        StalledChainRescuer rescuer = StalledChainRescuer.Shared;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < deadline)
        {
            if (rescuer.State == StalledChainRescuer.Stopped)
            {
                return false;
            }

            if (Host.IsSlow && rescuer.IdleTicks == 1)
            {
                return true;
            }

            await Task.Yield();
        }

        return false;
    }

    private static async Task UntilStopped()
    {
        var deadline = DateTime.UtcNow + Eventually.HangTimeout;
        while (StalledChainRescuer.Shared.State != StalledChainRescuer.Stopped)
        {
            Assert.True(DateTime.UtcNow < deadline, "The rescuer never stopped.");
            await Task.Delay(1);
        }
    }
}
