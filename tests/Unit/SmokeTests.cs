using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

public class SmokeTests
{
    [Fact]
    public async Task WriteAsync_then_ReadAsync_hands_over()
    {
        var channel = new RendezvousChannel<int>();
        ValueTask write = channel.Writer.WriteAsync(42);
        Assert.False(write.IsCompleted);
        Assert.Equal(42, await channel.Reader.ReadAsync());
        await write;
    }

    [Fact]
    public async Task Many_items_round_trip()
    {
        var channel = new RendezvousChannel<int>();
        const int N = 100_000;
        Task producer = Task.Run(async () =>
        {
            for (int i = 0; i < N; i++) await channel.Writer.WriteAsync(i);
            channel.Writer.Complete();
        });
        long sum = 0; int count = 0;
        await foreach (int x in channel.Reader.ReadAllAsync()) { sum += x; count++; }
        await producer;
        Assert.Equal(N, count);
        Assert.Equal((long)N * (N - 1) / 2, sum);
    }
}

public class RingSmokeTests
{
    [Fact]
    public async Task Ring_many_items_round_trip_many_writers()
    {
        var channel = new RingBufferChannel<int>(3);
        const int N = 50_000;
        Task[] producers = new Task[3];
        for (int p = 0; p < producers.Length; p++)
        {
            int id = p;
            producers[p] = Task.Run(async () => { for (int i = 0; i < N; i++) await channel.Writer.WriteAsync(id * N + i); });
        }
        Task all = Task.WhenAll(producers).ContinueWith(_ => channel.Writer.Complete(), TaskScheduler.Default);
        long sum = 0; int count = 0;
        async Task Consume() { await foreach (int x in channel.Reader.ReadAllAsync()) { System.Threading.Interlocked.Add(ref sum, x); System.Threading.Interlocked.Increment(ref count); } }
        async Task ConsumeRead() { try { while (true) { int x = await channel.Reader.ReadAsync(); System.Threading.Interlocked.Add(ref sum, x); System.Threading.Interlocked.Increment(ref count); } } catch (ChannelClosedException) { } }
        await Task.WhenAll(new[] { Consume(), ConsumeRead(), ConsumeRead() });
        await all;
        long n = 3L * N;
        Assert.Equal(n, count);
        Assert.Equal(n * (n - 1) / 2, sum);
        await channel.Reader.Completion;
    }
}
