using System.Globalization;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// What parking retains: a queue that grew for a burst of parked operations gives the memory back once they are
/// gone (it used to keep its largest ring for the channel's lifetime), yet bursts that recur stop reallocating
/// after a few rounds (hysteresis), so steady state still allocates nothing. Also measures what one parked write
/// costs, next to the BCL's CreateBounded(0).
/// </summary>
[Collection(AllocationCollection.Name)]
public class ParkingMemoryTests(ITestOutputHelper output)
{
    private const int Burst = 10_000;

    /// <summary>The three queues of a fresh channel (parked reads/writes, WaitToRead, WaitToWrite callers).</summary>
    private const int InitialSlots = 3 * WaiterQueue<int>.InitialCapacity;

    public static TheoryData<string> Channels => new() { "Rendezvous", "Ring(1)" };

    private static Channel<int> Create(string channel) =>
        channel == "Rendezvous" ? new RendezvousChannel<int>() : new RingBufferChannel<int>(1);

    private static ParkingLot<int> Lot(Channel<int> channel) =>
        channel is RendezvousChannel<int> rendezvous ? rendezvous.Lot : ((RingBufferChannel<int>)channel).Lot;

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task A_burst_of_parked_then_canceled_reads_is_given_back(string channel)
    {
        Channel<int> c = Create(channel);
        long before = GC.GetTotalMemory(forceFullCollection: true);

        using (var cts = new CancellationTokenSource())
        {
            var reads = new ValueTask<int>[Burst];
            for (int i = 0; i < Burst; i++)
            {
                reads[i] = c.Reader.ReadAsync(cts.Token);
            }

            int grown = Lot(c).QueueCapacity;
            Assert.True(grown >= Burst, $"the queue holds {Burst} parked reads in {grown} slots");
            await cts.CancelAsync();
            foreach (ValueTask<int> read in reads)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Completes(read));
            }
        }

        // A few more operations: each parks a read and hands it an item.
        for (int i = 0; i < 4; i++)
        {
            ValueTask<int> read = c.Reader.ReadAsync();
            Assert.True(c.Writer.TryWrite(i));
            Assert.Equal(i, await Eventually.Completes(read));
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{channel}: {Lot(c).QueueCapacity} queue slots and {after - before} bytes more than before the burst of {Burst} canceled reads");
        Assert.Equal(InitialSlots, Lot(c).QueueCapacity);
        GC.KeepAlive(c);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task A_queue_emptied_by_hand_offs_after_a_burst_shrinks_back(string channel)
    {
        Channel<int> c = Create(channel);
        var reads = new ValueTask<int>[Burst];
        for (int i = 0; i < Burst; i++)
        {
            reads[i] = c.Reader.ReadAsync();
        }

        for (int i = 0; i < Burst; i++)
        {
            Assert.True(c.Writer.TryWrite(i));
        }

        for (int i = 0; i < Burst; i++)
        {
            Assert.Equal(i, await Eventually.Completes(reads[i]));
        }

        Assert.Equal(InitialSlots, Lot(c).QueueCapacity);
    }

    [Fact]
    public void Recurring_bursts_stop_resizing_the_queue()
    {
        // Each round: 64 entries at once (the ring grows past its initial 8 slots), all taken, then 300 one-at-a-time
        // enqueue/dequeue pairs that keep the queue nearly empty: long enough for a shrink at first, until the
        // hysteresis has doubled past it. Measured on the queue itself, on one thread (the per-thread allocation
        // counter is exact), with the same 64 waiters throughout: a channel would also rent waiters for a burst
        // larger than its pool, which is the pool's business, not the queue's.
        var queue = new WaiterQueue<int>();
        var pool = new WaiterPool<int>();
        Waiter<int>[] waiters = Enumerable.Range(0, 64).Select(_ => pool.Rent()).ToArray();
        long[] versions = waiters.Select(waiter => waiter.Arm(WaiterKind.Reader, queue, 0, mayChain: false)).ToArray();
        int shrinks = 0, mistakes = 0;
        long[] allocatedPerRound = new long[64];
        for (int round = 0; round < allocatedPerRound.Length; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < waiters.Length; i++)
            {
                mistakes += queue.TryEnqueue(WaiterKind.Reader, waiters[i], versions[i]) == EnqueueResult.Enqueued ? 0 : 1;
            }

            for (int i = 0; i < waiters.Length; i++)
            {
                mistakes += queue.TryDequeue(WaiterKind.Reader, out Waiter<int> waiter, out long version) && waiter == waiters[i] && version == versions[i] ? 0 : 1;
            }

            int grown = queue.Capacity;
            for (int i = 0; i < 300; i++)
            {
                mistakes += queue.TryEnqueue(WaiterKind.Reader, waiters[0], versions[0]) == EnqueueResult.Enqueued ? 0 : 1;
                mistakes += queue.TryDequeue(WaiterKind.Reader, out _, out _) ? 0 : 1;
            }

            shrinks += queue.Capacity < grown ? 1 : 0;
            allocatedPerRound[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        output.WriteLine($"bytes allocated per round: {string.Join(", ", allocatedPerRound)}; shrinks: {shrinks}");
        Assert.Equal(0, mistakes);
        Assert.InRange(shrinks, 1, 4);
        Assert.All(allocatedPerRound.Skip(8), bytes => Assert.Equal(0, bytes));
        Assert.True(queue.IsEmpty);
    }

    /// <summary>
    /// The cost of one parked write: the bytes retained by 10,000 parked writes on a fresh channel, per write (the
    /// pooled waiter, its queue slot, and the queue's power-of-two slack). Reported next to the BCL's figure; the
    /// assertion is only a ceiling that catches a regression, not a comparison.
    /// </summary>
    [Fact]
    public void One_parked_write_costs_a_pooled_waiter_and_a_queue_slot()
    {
        double ours = RetainedBytesPerParkedWrite(new RendezvousChannel<int>());
        double bcl = RetainedBytesPerParkedWrite(Channel.CreateBounded<int>(0));
        double oursCancelable = RetainedBytesPerParkedWrite(new RendezvousChannel<int>(), cancelable: true);
        double bclCancelable = RetainedBytesPerParkedWrite(Channel.CreateBounded<int>(0), cancelable: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bytes per parked WriteAsync ({Burst} parked): RendezvousChannel {ours:F0}, CreateBounded(0) {bcl:F0}; with a cancelable token: {oursCancelable:F0}, {bclCancelable:F0}"));
        Assert.InRange(ours, 1, 320);
        Assert.InRange(oursCancelable, 1, 320);
    }

    private static double RetainedBytesPerParkedWrite(Channel<int> channel, bool cancelable = false)
    {
        using var cts = new CancellationTokenSource();
        CancellationToken token = cancelable ? cts.Token : default;
        var writes = new ValueTask[Burst];
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < Burst; i++)
        {
            writes[i] = channel.Writer.WriteAsync(i, token);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        channel.Writer.Complete();
        foreach (ValueTask write in writes)
        {
            Assert.True(write.IsFaulted);
            _ = write.AsTask().Exception;
        }

        GC.KeepAlive(channel);
        return (after - before) / (double)Burst;
    }
}
