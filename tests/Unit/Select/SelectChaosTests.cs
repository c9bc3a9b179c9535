// SelectChaosTests: everything at once: selects writing and reading on mixed channels (one of them read and written by
// the same selects), canceled selects, then completion; every item sent is received exactly once.

using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// Producer selects offer each item on two unbuffered channels and a ring while also reading one of those unbuffered
/// channels (so they meet each other, and must never meet themselves); consumer selects read all three with random
/// cancellations; then every channel is completed. Every item a write clause handed over is received exactly once,
/// by a consumer or by another producer's read clause.
/// </summary>
[Collection(StressCollection.Name)]
public class SelectChaosTests(ITestOutputHelper output)
{
    private const int Producers = 3;
    private const int ItemsPerProducer = 4_000;

    [Fact]
    public async Task Mixed_selects_with_cancellations_and_completion_move_every_item_exactly_once()
    {
        Channel<int>[] channels = [new RendezvousChannel<int>(), new RendezvousChannel<int>(), new RingBufferChannel<int>(2)];
        int[] received = new int[Producers * ItemsPerProducer];
        int[] sent = new int[Producers * ItemsPerProducer];
        var canceled = new StrongBox<int>();
        int readByProducers = 0;
        int selfReads = 0;

        Task[] producers = [.. Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
        {
            var selector = new ChannelSelector();
            SelectWriteClause<int>[] writes = [.. channels.Select(c => selector.AddWrite(c.Writer))];
            SelectReadClause<int> read = selector.AddRead(channels[1].Reader);
            for (int i = 0; i < ItemsPerProducer;)
            {
                int item = (p * ItemsPerProducer) + i;
                foreach (SelectWriteClause<int> write in writes)
                {
                    write.Item = item;
                }

                SelectResult result = await selector.SelectAsync();
                Assert.False(result.IsClosed);
                if (result.Is(read))
                {
                    // Received another producer's item; ours is offered again next time.
                    if (read.Item / ItemsPerProducer == p && Volatile.Read(ref sent[read.Item]) == 0)
                    {
                        Interlocked.Increment(ref selfReads);
                    }

                    Interlocked.Increment(ref received[read.Item]);
                    Interlocked.Increment(ref readByProducers);
                    continue;
                }

                Interlocked.Increment(ref sent[item]);
                i++;
            }
        }))];

        Task[] consumers = [.. Enumerable.Range(0, 2).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var selector = new ChannelSelector(c == 0 ? SelectFairness.Random : SelectFairness.Biased);
            SelectReadClause<int>[] reads = [.. channels.Select(ch => selector.AddRead(ch.Reader))];
            int open = reads.Length;
            while (open > 0)
            {
                if (await SelectRacing.SelectRacingCancellationAsync(selector, random, oneIn: 4, maxSpin: 200, canceled) is not { } result)
                {
                    continue;
                }

                if (result.IsClosed)
                {
                    result.Clause.IsEnabled = false;
                    open--;
                    continue;
                }

                Interlocked.Increment(ref received[reads[result.Index].Item]);
            }
        }))];

        await Eventually.Completes(Task.WhenAll(producers), "producer selects");
        foreach (Channel<int> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Eventually.Completes(Task.WhenAll(consumers), "consumer selects");
        output.WriteLine($"{canceled.Value} consumer selects canceled, {readByProducers} items read by producer selects");
        Assert.Equal(0, selfReads);
        for (int item = 0; item < sent.Length; item++)
        {
            Assert.True(sent[item] == 1, $"item {item} sent {sent[item]} times");
            Assert.True(received[item] == 1, $"item {item} received {received[item]} times");
        }

        Assert.True(canceled.Value > 0, "no select was canceled");
    }
}
