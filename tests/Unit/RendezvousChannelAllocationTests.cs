using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Steady state allocates nothing: pooled waiters, no closures, no boxed continuations.</summary>
[Collection(AllocationCollection.Name)]
public class RendezvousChannelAllocationTests
{
    private const int Operations = 200_000;

    [Fact]
    public async Task WriteAsync_ReadAsync_pairs_allocate_nothing()
    {
        var channel = new RendezvousChannel<int>();
        double bytes = await AllocationMeter.BytesPerOperation(n => Pairs(channel, n, CancellationToken.None), Operations);
        Assert.True(bytes < 1, $"{bytes:F2} bytes per item");
    }

    [Fact]
    public async Task Operations_with_a_cancelable_token_allocate_nothing()
    {
        var channel = new RendezvousChannel<int>();
        using var cts = new CancellationTokenSource();
        double bytes = await AllocationMeter.BytesPerOperation(n => Pairs(channel, n, cts.Token), Operations);
        Assert.True(bytes < 1, $"{bytes:F2} bytes per item");
    }

    [Fact]
    public async Task WaitToReadAsync_TryRead_loops_allocate_nothing()
    {
        var channel = new RendezvousChannel<int>();
        double bytes = await AllocationMeter.BytesPerOperation(
            async n =>
            {
                Task producer = Produce(channel, n, CancellationToken.None);
                int received = 0;
                while (received < n && await channel.Reader.WaitToReadAsync())
                {
                    while (received < n && channel.Reader.TryRead(out _))
                    {
                        received++;
                    }
                }

                await producer;
            },
            Operations);
        Assert.True(bytes < 1, $"{bytes:F2} bytes per item");
    }

    [Fact]
    public async Task ReadAllAsync_allocates_nothing_per_item()
    {
        double bytes = await AllocationMeter.BytesPerOperation(
            async n =>
            {
                // ReadAllAsync allocates its enumerator once per call; a fresh channel per run is part of that
                // fixed cost, which is amortized over n items.
                var channel = new RendezvousChannel<int>();
                Task producer = Task.Run(async () =>
                {
                    await Produce(channel, n, CancellationToken.None);
                    channel.Writer.Complete();
                });
                int received = 0;
                await foreach (int item in channel.Reader.ReadAllAsync())
                {
                    received++;
                }

                Assert.Equal(n, received);
                await producer;
            },
            Operations);
        Assert.True(bytes < 1, $"{bytes:F2} bytes per item");
    }

    private static async Task Pairs(RendezvousChannel<int> channel, int n, CancellationToken token)
    {
        Task producer = Produce(channel, n, token);
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += await channel.Reader.ReadAsync(token);
        }

        await producer;
        Assert.Equal((long)n * (n - 1) / 2, sum);
    }

    private static async Task Produce(RendezvousChannel<int> channel, int n, CancellationToken token)
    {
        await Task.Yield();
        for (int i = 0; i < n; i++)
        {
            await channel.Writer.WriteAsync(i, token);
        }
    }
}
