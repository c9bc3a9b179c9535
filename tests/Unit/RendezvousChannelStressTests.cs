using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Many threads at once: the multiset of items read equals the multiset of writes that succeeded.</summary>
public class RendezvousChannelStressTests
{
    [Fact]
    public async Task Many_writers_and_readers_deliver_every_item_exactly_once()
    {
        const int Writers = 4, Readers = 4, PerWriter = 20_000;
        var channel = new RendezvousChannel<long>();
        var received = new ConcurrentBag<long>();

        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                long item = ((long)w << 32) | (uint)i;
                if (i % 3 == 0)
                {
                    // Mix in TryWrite + WaitToWriteAsync: only succeeds against parked ReadAsync readers.
                    while (!channel.Writer.TryWrite(item))
                    {
                        Task<bool> wait = channel.Writer.WaitToWriteAsync().AsTask();
                        Task winner = await Task.WhenAny(wait, Task.Delay(1));
                        if (winner == wait)
                        {
                            await wait;
                        }
                    }
                }
                else
                {
                    await channel.Writer.WriteAsync(item);
                }
            }
        })).ToArray();

        Task[] readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            if (r % 2 == 0)
            {
                try
                {
                    while (true)
                    {
                        received.Add(await channel.Reader.ReadAsync());
                    }
                }
                catch (ChannelClosedException)
                {
                }
            }
            else
            {
                await foreach (long item in channel.Reader.ReadAllAsync())
                {
                    received.Add(item);
                }
            }
        })).ToArray();

        await Eventually.Completes(Task.WhenAll(writers));
        channel.Writer.Complete();
        await Eventually.Completes(Task.WhenAll(readers));

        long[] expected = Enumerable.Range(0, Writers)
            .SelectMany(w => Enumerable.Range(0, PerWriter).Select(i => ((long)w << 32) | (uint)i)).Order().ToArray();
        Assert.Equal(expected, received.Order().ToArray());
    }

    [Fact]
    public async Task Each_writers_items_arrive_in_its_order()
    {
        const int Writers = 3, PerWriter = 10_000;
        var channel = new RendezvousChannel<(int Writer, int Seq)>();
        Task[] writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                await channel.Writer.WriteAsync((w, i));
            }
        })).ToArray();
        _ = Task.WhenAll(writers).ContinueWith(_ => channel.Writer.Complete(), TaskScheduler.Default);

        int[] next = new int[Writers];
        await foreach ((int writer, int seq) in channel.Reader.ReadAllAsync())
        {
            Assert.Equal(next[writer], seq);
            next[writer]++;
        }

        Assert.All(next, n => Assert.Equal(PerWriter, n));
    }

    [Fact]
    public async Task Cancellations_racing_hand_offs_never_lose_or_duplicate_an_item()
    {
        // Each round: a write with a cancelable token, a read, and a cancel, on three threads. Either the write
        // succeeds and the item is read exactly once, or the write is canceled and nobody reads the item.
        const int Rounds = 20_000;
        var channel = new RendezvousChannel<int>();
        var delivered = new ConcurrentDictionary<int, int>();
        var succeeded = new ConcurrentDictionary<int, bool>();
        using var stop = new CancellationTokenSource();

        Task reader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    int item = await channel.Reader.ReadAsync();
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
            int item = round;
            Task write = channel.Writer.WriteAsync(item, cts.Token).AsTask();
            Task cancel = Task.Run(cts.Cancel);
            try
            {
                await Eventually.Completes(write);
                succeeded[item] = true;
            }
            catch (OperationCanceledException)
            {
                succeeded[item] = false;
            }

            await cancel;
        }

        channel.Writer.Complete();
        await Eventually.Completes(reader);

        Assert.All(delivered, pair => Assert.Equal(1, pair.Value));
        foreach ((int item, bool ok) in succeeded)
        {
            Assert.Equal(ok, delivered.ContainsKey(item));
        }

        Assert.Equal(succeeded.Count(p => p.Value), delivered.Count);
        Assert.Contains(succeeded, p => p.Value);
    }

    [Fact]
    public async Task Canceled_reads_racing_writes_never_lose_an_item()
    {
        const int Rounds = 20_000;
        var channel = new RendezvousChannel<int>();
        var got = new List<int>();
        int writesOk = 0;
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                await channel.Writer.WriteAsync(i);
                writesOk++;
            }

            channel.Writer.Complete();
        });

        while (true)
        {
            using var cts = new CancellationTokenSource();
            Task<int> read = channel.Reader.ReadAsync(cts.Token).AsTask();
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

    [Fact]
    public async Task Writes_racing_completion_either_deliver_or_fail()
    {
        for (int round = 0; round < 200; round++)
        {
            var channel = new RendezvousChannel<int>();
            var read = new ConcurrentBag<int>();
            Task readers = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await foreach (int item in channel.Reader.ReadAllAsync())
                {
                    read.Add(item);
                }
            })));
            var writes = Enumerable.Range(0, 8).Select(i => channel.Writer.WriteAsync(i).AsTask()).ToArray();
            await Task.Yield();
            channel.Writer.Complete();
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
}
