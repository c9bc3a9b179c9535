namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; allocates nothing where only a buffer lets both sides proceed: writers that use only
/// TryWrite + WaitToWriteAsync against readers that use only WaitToReadAsync + TryRead (on a rendezvous channel they
/// never meet). The patterns both channels share are in Contract/AllocationContractTests.cs.
/// </summary>
[Collection(AllocationCollection.Name)]
public class RingBufferChannelAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task TryWrite_WaitToWriteAsync_and_WaitToReadAsync_TryRead_loops_allocate_nothing(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        using var cts = new CancellationTokenSource(); // never canceled
        await AllocationMeter.AssertAllocationFree($"TryWrite+WaitToWriteAsync / WaitToReadAsync+TryRead, capacity {capacity}", n =>
        {
            Task writer = Task.Run(async () =>
            {
                for (int i = 0; i < n; i++)
                {
                    while (!channel.Writer.TryWrite(i))
                    {
                        if (!await channel.Writer.WaitToWriteAsync(cts.Token))
                        {
                            throw new InvalidOperationException("completed");
                        }
                    }
                }
            });
            Task reader = Task.Run(async () =>
            {
                int expected = 0;
                while (expected < n && await channel.Reader.WaitToReadAsync(cts.Token))
                {
                    while (expected < n && channel.Reader.TryRead(out int item))
                    {
                        if (item != expected++)
                        {
                            throw new InvalidOperationException($"read {item}, expected {expected - 1}");
                        }
                    }
                }
            });
            return Task.WhenAll(writer, reader);
        }, output);
    }
}
