using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace RendezvousChannel.Tests.Unit;

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
