// SelectStressTests: exactly-once oracles for selects under real concurrency (plain partners, selects on both sides,
// the self-match channel, cancellation storms, completion races), over both channel kinds.

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// Many threads, many selects: every item a producer handed over is received exactly once, and nothing a losing
/// clause saw is lost or duplicated. Items are distinct numbers, so a count per item is the whole oracle.
/// </summary>
[Collection(StressCollection.Name)]
public class SelectStressTests(ITestOutputHelper output)
{
    private const int ItemsPerProducer = 5_000;

    public static TheoryData<string, int> KindsAndWidths => new()
    {
        { "rendezvous", 2 }, { "rendezvous", 4 }, { "ring", 2 }, { "ring", 4 }, { "mixed", 2 }, { "mixed", 4 },
    };

    private static Channel<int>[] CreateChannels(string kind, int count) =>
        [.. Enumerable.Range(0, count).Select(i => kind switch
        {
            "rendezvous" => (Channel<int>)new RendezvousChannel<int>(),
            "ring" => new RingBufferChannel<int>(2),
            _ => i % 2 == 0 ? new RendezvousChannel<int>() : new RingBufferChannel<int>(2),
        })];

    /// <summary>Counts deliveries per item; fails on a duplicate or an unknown item at the end.</summary>
    private sealed class Ledger(int items)
    {
        private readonly int[] _received = new int[items];

        public void Received(int item) => Interlocked.Increment(ref _received[item]);

        public void AssertEachExactlyOnce(IEnumerable<int> expected)
        {
            var sent = new HashSet<int>(expected);
            for (int item = 0; item < _received.Length; item++)
            {
                int times = Volatile.Read(ref _received[item]);
                Assert.True(times == (sent.Contains(item) ? 1 : 0), $"item {item} received {times} times (sent: {sent.Contains(item)})");
            }
        }
    }

    /// <summary>A select consumer over every channel's reader, disabling a clause once its channel is closed, until all are.</summary>
    private static Task SelectConsumer(Channel<int>[] channels, Ledger ledger, SelectFairness fairness = SelectFairness.Random) => Task.Run(async () =>
    {
        var selector = new ChannelSelector(fairness);
        SelectReadClause<int>[] clauses = [.. channels.Select(c => selector.AddRead(c.Reader))];
        int open = clauses.Length;
        while (open > 0)
        {
            SelectResult result = await selector.SelectAsync();
            if (result.IsClosed)
            {
                result.Clause.IsEnabled = false;
                open--;
                continue;
            }

            ledger.Received(clauses[result.Index].Item);
        }
    });

    /// <summary>A select producer: each of its items is offered on every channel at once and must go to exactly one.</summary>
    private static Task SelectProducer(Channel<int>[] channels, IEnumerable<int> items) => Task.Run(async () =>
    {
        var selector = new ChannelSelector();
        SelectWriteClause<int>[] clauses = [.. channels.Select(c => selector.AddWrite(c.Writer))];
        foreach (int item in items)
        {
            foreach (SelectWriteClause<int> clause in clauses)
            {
                clause.Item = item;
            }

            SelectResult result = await selector.SelectAsync();
            Assert.False(result.IsClosed);
        }
    });

    private static Task PlainProducer(ChannelWriter<int> writer, IEnumerable<int> items) => Task.Run(async () =>
    {
        foreach (int item in items)
        {
            await writer.WriteAsync(item);
        }
    });

    private static Task PlainConsumer(ChannelReader<int> reader, Ledger ledger) => Task.Run(async () =>
    {
        await foreach (int item in reader.ReadAllAsync())
        {
            ledger.Received(item);
        }
    });

    private static IEnumerable<int> Items(int producer) => Enumerable.Range(producer * ItemsPerProducer, ItemsPerProducer);

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public async Task Select_consumers_against_plain_producers_receive_every_item_exactly_once(string kind, int width)
    {
        Channel<int>[] channels = CreateChannels(kind, width);
        var ledger = new Ledger(width * ItemsPerProducer);
        Task[] consumers = [SelectConsumer(channels, ledger), SelectConsumer(channels, ledger, SelectFairness.Biased)];
        await Eventually.Completes(Task.WhenAll(channels.Select((c, i) => PlainProducer(c.Writer, Items(i)))), "producers");
        foreach (Channel<int> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Eventually.Completes(Task.WhenAll(consumers), "select consumers");
        ledger.AssertEachExactlyOnce(Enumerable.Range(0, width * ItemsPerProducer));
    }

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public async Task Select_producers_against_plain_consumers_deliver_every_item_exactly_once(string kind, int width)
    {
        Channel<int>[] channels = CreateChannels(kind, width);
        const int producers = 2;
        var ledger = new Ledger(producers * ItemsPerProducer);
        Task[] consumers = [.. channels.Select(c => PlainConsumer(c.Reader, ledger))];
        await Eventually.Completes(Task.WhenAll(Enumerable.Range(0, producers).Select(p => SelectProducer(channels, Items(p)))), "select producers");
        foreach (Channel<int> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Eventually.Completes(Task.WhenAll(consumers), "consumers");
        ledger.AssertEachExactlyOnce(Enumerable.Range(0, producers * ItemsPerProducer));
    }

    [Theory]
    [MemberData(nameof(KindsAndWidths))]
    public async Task Selects_against_selects_move_every_item_exactly_once(string kind, int width)
    {
        Channel<int>[] channels = CreateChannels(kind, width);
        const int producers = 2;
        var ledger = new Ledger(producers * ItemsPerProducer);
        Task[] consumers = [SelectConsumer(channels, ledger), SelectConsumer(channels, ledger)];
        await Eventually.Completes(Task.WhenAll(Enumerable.Range(0, producers).Select(p => SelectProducer(channels, Items(p)))), "select producers");
        foreach (Channel<int> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Eventually.Completes(Task.WhenAll(consumers), "select consumers");
        ledger.AssertEachExactlyOnce(Enumerable.Range(0, producers * ItemsPerProducer));
    }

    [Fact]
    public async Task Selects_reading_and_writing_one_rendezvous_channel_never_meet_themselves_and_lose_nothing()
    {
        var channel = new RendezvousChannel<int>();
        var side = new RendezvousChannel<int>();
        const int selectors = 3;
        const int selectsEach = 4_000;
        const int tagUnit = 1_000_000;
        var sent = new ConcurrentBag<int>();
        var received = new ConcurrentDictionary<int, int>();
        int selfMatches = 0;
        using var stopThirdParties = new CancellationTokenSource();

        Task[] selecting = [.. Enumerable.Range(0, selectors).Select(s => Task.Run(async () =>
        {
            var selector = new ChannelSelector();
            SelectReadClause<int> read = selector.AddRead(channel.Reader);
            SelectWriteClause<int> write = selector.AddWrite(channel.Writer);
            // A second read clause on the same channel and one on another channel: the pairing must still park one entry.
            SelectReadClause<int> readAgain = selector.AddRead(channel.Reader);
            SelectReadClause<int> readSide = selector.AddRead(side.Reader);
            for (int i = 0; i < selectsEach; i++)
            {
                write.Item = ((s + 1) * tagUnit) + i;
                SelectResult result = await selector.SelectAsync();
                if (result.Is(write))
                {
                    sent.Add(write.Item);
                    continue;
                }

                int item = ((SelectReadClause<int>)result.Clause).Item;
                if (item / tagUnit == s + 1)
                {
                    Interlocked.Increment(ref selfMatches);
                }

                received.AddOrUpdate(item, 1, (_, n) => n + 1);
            }
        }))];

        // Third parties keep offering and taking until every select is done, so no select waits forever.
        Task plainWriter = Task.Run(async () =>
        {
            for (int i = 0; ; i++)
            {
                try
                {
                    await channel.Writer.WriteAsync(i, stopThirdParties.Token);
                    sent.Add(i);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        Task plainReader = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    int item = await channel.Reader.ReadAsync(stopThirdParties.Token);
                    received.AddOrUpdate(item, 1, (_, n) => n + 1);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        await Eventually.Completes(Task.WhenAll(selecting), "the selects");
        stopThirdParties.Cancel();
        await Eventually.Completes(Task.WhenAll(plainWriter, plainReader), "the third parties");

        Assert.Equal(0, selfMatches);
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        Assert.Equal(sent.OrderBy(x => x), received.Keys.OrderBy(x => x));
        output.WriteLine($"{sent.Count} items moved, {sent.Count(x => x >= tagUnit)} of them by select write clauses");
        Assert.Contains(sent, x => x >= tagUnit);
        Assert.Contains(received.Keys, x => x >= tagUnit);
    }

    [Theory]
    [InlineData("rendezvous")]
    [InlineData("ring")]
    [InlineData("mixed")]
    public async Task A_cancellation_storm_on_parked_selects_loses_and_duplicates_nothing(string kind)
    {
        const int width = 2;
        Channel<int>[] channels = CreateChannels(kind, width);
        var ledger = new Ledger(width * ItemsPerProducer);
        var canceled = new StrongBox<int>();
        Task[] consumers = [.. Enumerable.Range(0, 2).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            var selector = new ChannelSelector();
            SelectReadClause<int>[] clauses = [.. channels.Select(ch => selector.AddRead(ch.Reader))];
            int open = clauses.Length;
            while (open > 0)
            {
                if (await SelectRacing.SelectRacingCancellationAsync(selector, random, oneIn: 2, maxSpin: 300, canceled) is not { } result)
                {
                    continue;
                }

                if (result.IsClosed)
                {
                    result.Clause.IsEnabled = false;
                    open--;
                    continue;
                }

                ledger.Received(clauses[result.Index].Item);
            }
        }))];

        await Eventually.Completes(Task.WhenAll(channels.Select((c, i) => PlainProducer(c.Writer, Items(i)))), "producers");
        foreach (Channel<int> channel in channels)
        {
            channel.Writer.Complete();
        }

        await Eventually.Completes(Task.WhenAll(consumers), "consumers");
        output.WriteLine($"{canceled.Value} selects canceled");
        Assert.True(canceled.Value > 0, "no select was canceled: the storm tested nothing");
        ledger.AssertEachExactlyOnce(Enumerable.Range(0, width * ItemsPerProducer));
    }

    [Theory]
    [InlineData("rendezvous")]
    [InlineData("ring")]
    public async Task Completion_racing_parked_selects_and_writes_delivers_each_accepted_item_once_and_never_hangs(string kind)
    {
        int closedOutcomes = 0;
        int delivered = 0;
        for (int round = 0; round < 1_000; round++)
        {
            Channel<int>[] channels = CreateChannels(kind, 2);
            var selector = new ChannelSelector();
            SelectReadClause<int> read0 = selector.AddRead(channels[0].Reader);
            SelectReadClause<int> read1 = selector.AddRead(channels[1].Reader);
            ValueTask<SelectResult> pending = selector.SelectAsync();

            // One writer, one completer, racing; the write either is accepted (and must be read exactly once) or fails.
            Task<bool> writer = Task.Run(async () =>
            {
                try
                {
                    await channels[round % 2].Writer.WriteAsync(round);
                    return true;
                }
                catch (ChannelClosedException)
                {
                    return false;
                }
            });
            Task completer = Task.Run(() =>
            {
                channels[0].Writer.Complete();
                channels[1].Writer.Complete();
            });

            SelectResult result = await Eventually.Completes(pending, $"round {round}'s select");
            await Eventually.Completes(completer);
            bool accepted = await Eventually.Completes(writer);
            int readsOfItem = 0;
            if (!result.IsClosed)
            {
                Assert.Equal(round, ((SelectReadClause<int>)result.Clause).Item);
                readsOfItem++;
                delivered++;
            }
            else
            {
                closedOutcomes++;
                // Closed means completed and drained: a read clause never reports closed while its item waits.
                Assert.False(result.Clause == (round % 2 == 0 ? read0 : read1) && accepted && kind == "ring" && channels[round % 2].Reader.Count > 0);
            }

            // An accepted item the select did not take is still in the ring (never for an unbuffered channel).
            while (channels[round % 2].Reader.TryRead(out int rest))
            {
                Assert.Equal(round, rest);
                readsOfItem++;
            }

            Assert.Equal(accepted ? 1 : 0, readsOfItem);
        }

        output.WriteLine($"{delivered} delivered to the select, {closedOutcomes} closed outcomes");
        Assert.True(closedOutcomes > 0, "the completion never won");
    }
}
