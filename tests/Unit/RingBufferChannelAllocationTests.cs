using static Rendezvous.Channels.Tests.Unit.ChannelWorkloads;

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
        await AllocationMeter.AssertAllocationFree(
            $"TryWrite+WaitToWriteAsync / WaitToReadAsync+TryRead, capacity {capacity}",
            n => Task.WhenAll(TryWriteEach(channel.Writer, n, cts.Token), TryReadEach(channel.Reader, n, cts.Token)),
            output);
    }
}
