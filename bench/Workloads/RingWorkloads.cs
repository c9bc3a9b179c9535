using System.Threading;
using System.Threading.Tasks;
using Rendezvous.Channels.Internal;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// Workloads on the ring inside RingBufferChannel itself, below the channel layer, for the padding
/// experiment: no parking and no thread-pool wake-ups, only the head and tail indices bouncing between cores.
/// </summary>
internal static class RingWorkloads
{
    /// <summary>
    /// One producer thread spins TryEnqueue of 0..<paramref name="items"/>-1 while one consumer thread spins
    /// TryDequeue, then checks that every item came out exactly once and in order.
    /// </summary>
    public static async Task SpinTransferAsync<TIndices>(BoundedItemRing<int, TIndices> ring, int items)
        where TIndices : struct, IRingIndices
    {
        Task producer = Task.Run(() => Produce(ring, items));
        Task<ItemTally> consumer = Task.Run(() => Consume(ring, items));
        await producer;
        (await consumer).VerifyReceivedExactly(ItemTally.ForRange(items));
    }

    private static void Produce<TIndices>(BoundedItemRing<int, TIndices> ring, int items)
        where TIndices : struct, IRingIndices
    {
        SpinWait spinner = default;
        for (int item = 0; item < items; item++)
        {
            while (ring.TryEnqueue(item) != RingEnqueueResult.Enqueued)
            {
                // Never Sleep(1): a millisecond asleep would swamp nanosecond figures. Yielding still lets a
                // descheduled partner run on a 2-core machine.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private static ItemTally Consume<TIndices>(BoundedItemRing<int, TIndices> ring, int items)
        where TIndices : struct, IRingIndices
    {
        SpinWait spinner = default;
        ItemTally tally = default;
        for (int expected = 0; expected < items; expected++)
        {
            int item;
            while (!ring.TryDequeue(out item))
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (item != expected)
            {
                throw new System.InvalidOperationException($"The ring returned {item} where {expected} was due (FIFO).");
            }

            tally = tally.Add(item);
        }

        return tally;
    }
}
