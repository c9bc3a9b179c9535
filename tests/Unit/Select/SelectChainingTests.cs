// SelectChainingTests: a select's own wake-ups follow its channels' ContinuationMode.

using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Scheduling;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// A parked select is woken through its result waiter (a partner met one of its entries) or a ring's restart. Those
/// wake-ups chain, as a plain waiter's do, only when every clause's channel is in <see cref="ContinuationMode.Chained"/>
/// mode; a selector with any clause on a <see cref="ContinuationMode.ThreadPool"/> channel never chains them.
/// </summary>
[Collection(SchedulerCollection.Name)]
public class SelectChainingTests
{
    private const int RoundTrips = 5_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_select_over_Chained_channels_has_its_wake_ups_chained(bool ring)
    {
        // A thread backing off from chaining (after a long continuation of another test) may not chain in one run.
        int chained = 0;
        for (int attempt = 0; attempt < 20 && chained == 0; attempt++)
        {
            chained = await ChainedSelectWakeUpsInPingPong(ring, ContinuationMode.Chained, ContinuationMode.Chained);
        }

        Assert.True(chained > 0, "A select over Chained channels never resumed chained in 20 runs.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_select_with_a_clause_on_a_ThreadPool_channel_never_has_its_wake_ups_chained(bool ring)
    {
        // The premise: the same run over Chained channels chains (the test above); here one clause's channel is not.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(0, await ChainedSelectWakeUpsInPingPong(ring, ContinuationMode.Chained, ContinuationMode.ThreadPool));
        }
    }

    /// <summary>
    /// A server selects over two request channels (the client writes only to the first; the second is the clause whose
    /// mode varies) and answers on a Chained reply channel, so that the client writes its requests from chained
    /// continuations, where a wake-up can chain; counts the parked selects that resumed in a chained continuation.
    /// </summary>
    private static async Task<int> ChainedSelectWakeUpsInPingPong(bool ring, ContinuationMode requests, ContinuationMode idle)
    {
        Channel<int> ping = Create(ring, requests), quiet = Create(ring, idle), pong = Create(ring, ContinuationMode.Chained);
        var selector = new ChannelSelector();
        SelectReadClause<int> fromPing = selector.AddRead(ping.Reader);
        selector.AddRead(quiet.Reader);
        int chained = 0;
        Task server = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                // Only a select that parked was woken through its own machinery; one decided at once runs on in the
                // continuation that called it (woken by the reply channel, which chains in both tests).
                ValueTask<SelectResult> pending = selector.SelectAsync();
                bool parked = !pending.IsCompleted;
                SelectResult result = await pending;
                chained += parked && ContinuationTrampoline.InChainedContinuation ? 1 : 0;
                Assert.True(result.Is(fromPing));
                Assert.Equal(i, fromPing.Item);
                await pong.Writer.WriteAsync(i);
            }
        });
        Task client = Task.Run(async () =>
        {
            for (int i = 0; i < RoundTrips; i++)
            {
                await ping.Writer.WriteAsync(i);
                Assert.Equal(i, await pong.Reader.ReadAsync());
            }
        });
        await Eventually.Completes(Task.WhenAll(server, client));
        ping.Writer.Complete();
        quiet.Writer.Complete();
        pong.Writer.Complete();
        return Volatile.Read(ref chained);
    }

    private static Channel<int> Create(bool ring, ContinuationMode mode) => ring
        ? new RingBufferChannel<int>(new RingBufferChannelOptions(1) { ContinuationMode = mode })
        : new RendezvousChannel<int>(new RendezvousChannelOptions { ContinuationMode = mode });
}
