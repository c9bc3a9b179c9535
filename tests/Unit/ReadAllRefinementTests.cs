namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Where our ReadAllAsync refines the BCL's on purpose: it parks one read per item, as ReadAsync does, so on the
/// rendezvous channel a TryWrite producer meets a consumer parked in MoveNextAsync (the base class's ReadAllAsync
/// waits with WaitToReadAsync, and an unbuffered channel's TryWrite and WaitToReadAsync never meet; documented on
/// RendezvousChannel).
/// </summary>
public class ReadAllRefinementTests
{
    [Fact]
    public async Task TryWrite_hands_its_item_to_a_ReadAllAsync_consumer_parked_in_MoveNextAsync()
    {
        var c = new RendezvousChannel<int>();
        await using IAsyncEnumerator<int> e = c.Reader.ReadAllAsync().GetAsyncEnumerator();
        for (int i = 0; i < 3; i++)
        {
            ValueTask<bool> parked = e.MoveNextAsync();
            Assert.False(parked.IsCompleted);
            Assert.True(c.Writer.TryWrite(i), "a parked MoveNextAsync is a parked reader");
            Assert.True(await Eventually.Completes(parked));
            Assert.Equal(i, e.Current);
        }

        Assert.False(c.Writer.TryWrite(9), "between MoveNextAsync calls nobody is parked");
        c.Writer.Complete();
    }
}
