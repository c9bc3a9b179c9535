using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The limit on parked operations (2^23 of one kind; lowered here through an internal hook so that it is reached
/// cheaply): the one operation past it is refused with <see cref="InvalidOperationException"/> at its call site,
/// and the channel works on: the next operation parks once another has left, parked operations are served in
/// order, and completion fails everyone parked. (The limit used to break a channel for good: the operation past
/// it froze the queue and threw from its growth, and every later operation, completion included, threw too.)
/// </summary>
public class ParkedOperationLimitTests
{
    private const int Limit = 16;

    public static TheoryData<string> Channels => new() { "Rendezvous", "Ring(1)" };

    private static Channel<int> Create(string channel, out int capacity)
    {
        switch (channel)
        {
            case "Rendezvous":
                var rendezvous = new RendezvousChannel<int>();
                rendezvous.Lot.LimitParkedOperations(Limit);
                capacity = 0;
                return rendezvous;
            default:
                var ring = new RingBufferChannel<int>(1);
                ring.Lot.LimitParkedOperations(Limit);
                capacity = 1;
                return ring;
        }
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task The_write_past_the_limit_is_refused_and_the_channel_works_on(string channel)
    {
        Channel<int> c = Create(channel, out int capacity);
        Fill(c.Writer, capacity, first: -capacity);
        var writes = Enumerable.Range(0, Limit).Select(i => c.Writer.WriteAsync(i)).ToList();
        Assert.All(writes, write => Assert.False(write.IsCompleted));

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => c.Writer.WriteAsync(-100));
        Assert.Contains(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);

        // One read lets the oldest parked write in (or takes its item): there is room to park again.
        Assert.True(c.Reader.TryRead(out int first));
        writes.Add(c.Writer.WriteAsync(Limit));
        Assert.False(writes[^1].IsCompleted);

        var read = new List<int> { first };
        while (c.Reader.TryRead(out int item))
        {
            read.Add(item);
        }

        // The refused write delivered nothing; every parked one, in order.
        Assert.Equal(Enumerable.Range(-capacity, capacity).Concat(Enumerable.Range(0, Limit + 1)), read);
        foreach (ValueTask write in writes)
        {
            await Eventually.Completes(write);
        }

        // At the limit again, completion still succeeds and fails every parked write.
        Fill(c.Writer, capacity, first: -capacity);
        writes = Enumerable.Range(0, Limit).Select(i => c.Writer.WriteAsync(i)).ToList();
        Assert.Throws<InvalidOperationException>(() => c.Writer.WriteAsync(-100));
        Assert.True(c.Writer.TryComplete());
        foreach (ValueTask write in writes)
        {
            await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(write));
        }

        Assert.Equal(Enumerable.Range(-capacity, capacity), Drain(c.Reader));
        await Eventually.Completes(c.Reader.Completion);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task The_read_past_the_limit_is_refused_and_the_channel_works_on(string channel)
    {
        Channel<int> c = Create(channel, out _);
        var reads = Enumerable.Range(0, Limit).Select(_ => c.Reader.ReadAsync()).ToList();
        Assert.All(reads, read => Assert.False(read.IsCompleted));

        Assert.Throws<InvalidOperationException>(() => c.Reader.ReadAsync());

        Assert.True(c.Writer.TryWrite(0));
        Assert.Equal(0, await Eventually.Completes(reads[0]));
        reads.Add(c.Reader.ReadAsync());
        Assert.False(reads[^1].IsCompleted);
        for (int i = 1; i <= Limit; i++)
        {
            Assert.True(c.Writer.TryWrite(i));
            Assert.Equal(i, await Eventually.Completes(reads[i]));
        }

        reads = Enumerable.Range(0, Limit).Select(_ => c.Reader.ReadAsync()).ToList();
        Assert.Throws<InvalidOperationException>(() => c.Reader.ReadAsync());
        Assert.True(c.Writer.TryComplete());
        foreach (ValueTask<int> read in reads)
        {
            await Assert.ThrowsAsync<ChannelClosedException>(() => Eventually.Completes(read));
        }

        await Eventually.Completes(c.Reader.Completion);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task The_WaitToRead_past_the_limit_is_refused_and_the_channel_works_on(string channel)
    {
        Channel<int> c = Create(channel, out int capacity);
        var waits = Enumerable.Range(0, Limit).Select(_ => c.Reader.WaitToReadAsync()).ToList();
        Assert.All(waits, wait => Assert.False(wait.IsCompleted));

        Assert.Throws<InvalidOperationException>(() => c.Reader.WaitToReadAsync());

        // Something to read (a parked write on a rendezvous channel, an item in a buffer) wakes all of them.
        ValueTask write = c.Writer.WriteAsync(7);
        Assert.Equal(capacity > 0, write.IsCompleted);
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.True(await Eventually.Completes(wait));
        }

        Assert.True(c.Reader.TryRead(out int item));
        Assert.Equal(7, item);
        await Eventually.Completes(write);

        waits = Enumerable.Range(0, Limit).Select(_ => c.Reader.WaitToReadAsync()).ToList();
        Assert.Throws<InvalidOperationException>(() => c.Reader.WaitToReadAsync());
        Assert.True(c.Writer.TryComplete());
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.False(await Eventually.Completes(wait));
        }
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task The_WaitToWrite_past_the_limit_is_refused_and_the_channel_works_on(string channel)
    {
        Channel<int> c = Create(channel, out int capacity);
        Fill(c.Writer, capacity);
        var waits = Enumerable.Range(0, Limit).Select(_ => c.Writer.WaitToWriteAsync()).ToList();
        Assert.All(waits, wait => Assert.False(wait.IsCompleted));

        Assert.Throws<InvalidOperationException>(() => c.Writer.WaitToWriteAsync());

        // Room to write (a parked read on a rendezvous channel, a free slot in a buffer) wakes all of them.
        ValueTask<int> read = c.Reader.ReadAsync();
        Assert.Equal(capacity > 0, read.IsCompleted);
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.True(await Eventually.Completes(wait));
        }

        Assert.True(c.Writer.TryWrite(9));
        Assert.Equal(capacity > 0 ? 0 : 9, await Eventually.Completes(read));

        waits = Enumerable.Range(0, Limit).Select(_ => c.Writer.WaitToWriteAsync()).ToList();
        Assert.Throws<InvalidOperationException>(() => c.Writer.WaitToWriteAsync());
        Assert.True(c.Writer.TryComplete());
        foreach (ValueTask<bool> wait in waits)
        {
            Assert.False(await Eventually.Completes(wait));
        }
    }

    [Fact]
    public void The_default_limit_is_two_to_the_23rd()
    {
        Assert.Equal(1 << 23, WaiterQueue<int>.MaxCapacity);
        Assert.Equal(1 << 23, new WaiterQueue<int>().CapacityLimit);
    }

    private static List<int> Drain(ChannelReader<int> reader)
    {
        var items = new List<int>();
        while (reader.TryRead(out int item))
        {
            items.Add(item);
        }

        return items;
    }
}
