// BoundedItemRing<T>: the ring channel's items, a lock-free bounded MPMC FIFO that stands alone.
//
// Algorithm: Vyukov's bounded MPMC queue (1024cores.net; as in .NET's ConcurrentQueueSegment and
// crossbeam-channel's array flavour), with crossbeam's closable tail for completion.

using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rendezvous.Channels.Ring;

/// <summary>What <see cref="BoundedItemRing{T}.TryEnqueue"/> did.</summary>
internal enum RingEnqueueResult
{
    /// <summary>The item is in the ring.</summary>
    Enqueued,

    /// <summary>The ring holds its capacity; nothing changed.</summary>
    Full,

    /// <summary>The ring is closed; nothing changed, and nothing ever will be enqueued again.</summary>
    Closed,
}

/// <summary>
/// A lock-free bounded MPMC FIFO of items: Vyukov's bounded queue with sequence-stamped slots, as in
/// .NET's ConcurrentQueueSegment and crossbeam-channel's array flavour, with crossbeam's closable tail.
/// </summary>
/// <remarks>
/// <para>Slot <c>i</c> serves positions <c>p ≡ i (mod slots)</c>: its <c>Sequence</c> is <c>p</c> while free for an
/// enqueue at <c>p</c>, <c>p + 1</c> once it holds the item at <c>p</c>, and <c>p + slots</c> once that item has been
/// taken. A CAS on the tail claims a position for an enqueue, a CAS on the head claims one for a dequeue;
/// the claimer then owns the slot until it stamps it.</para>
/// <para>Capacity is exact: the slot array is the next power of two (at least 2), but an enqueue is admitted only while
/// <c>tail - head &lt; capacity</c>.</para>
/// <para>Closing sets <see cref="ClosedMark"/> in the tail with one atomic OR. Every enqueue CASes the tail, so an
/// enqueue either claimed its position before the close (and its item will be dequeued) or fails: an item is
/// never accepted and then lost.</para>
/// </remarks>
internal sealed class BoundedItemRing<T>
{
    /// <summary>Set in the tail once the ring is closed; positions stay far below it.</summary>
    private const long ClosedMark = 1L << 62;

    /// <summary>Head and tail, each on cache lines of its own (see <see cref="PaddedIndices"/>).</summary>
    private PaddedIndices _indices;

    private readonly Slot[] _slots;
    private readonly long _mask;
    private readonly int _capacity;

    public BoundedItemRing(int capacity)
    {
        Debug.Assert(capacity > 0);
        _capacity = capacity;
        // At least two slots: with one, "holds the item at p" and "free for p + 1" would both read p + 1.
        int length = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));
        _slots = new Slot[length];
        _mask = length - 1;
        for (int i = 0; i < length; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    /// <summary>The exact capacity.</summary>
    public int Capacity => _capacity;

    /// <summary>Items in the ring, counting claimed positions not yet stamped; exact when quiescent.</summary>
    public int Count
    {
        get
        {
            while (true)
            {
                long head = Volatile.Read(ref _indices.Head);
                long tail = Volatile.Read(ref _indices.Tail) & ~ClosedMark;
                // A consistent pair: the head did not move while we read the tail.
                if (Volatile.Read(ref _indices.Head) == head)
                {
                    return (int)(tail - head);
                }
            }
        }
    }

    /// <summary>Whether no item is in the ring (claimed positions count as items).</summary>
    public bool IsEmpty => (Volatile.Read(ref _indices.Tail) & ~ClosedMark) == Volatile.Read(ref _indices.Head);

    /// <summary>Whether the ring has room for an item.</summary>
    public bool HasRoom => Count < _capacity;

    /// <summary>Whether the ring is closed and every accepted item has been dequeued.</summary>
    public bool IsClosedAndEmpty
    {
        get
        {
            long tail = Volatile.Read(ref _indices.Tail);
            return (tail & ClosedMark) != 0 && (tail & ~ClosedMark) == Volatile.Read(ref _indices.Head);
        }
    }

    /// <summary>Enqueues <paramref name="item"/> unless the ring is full or closed.</summary>
    public RingEnqueueResult TryEnqueue(T item)
    {
        Slot[] slots = _slots;
        SpinWait spinner = default;
        while (true)
        {
            long tail = Volatile.Read(ref _indices.Tail);
            if ((tail & ClosedMark) != 0)
            {
                return RingEnqueueResult.Closed;
            }

            ref Slot slot = ref slots[tail & _mask];
            long sequence = Volatile.Read(ref slot.Sequence);
            if (sequence == tail)
            {
                // The slot is free for this lap; the exact capacity may still forbid using it. When the capacity
                // is the slot count, the free stamp alone proves room (the item one lap back has been taken), so
                // the enqueuer never touches the head's cache line. Otherwise the head is read after the tail,
                // so a "full" answer was true at the moment of this read.
                if (_capacity != slots.Length && tail - Volatile.Read(ref _indices.Head) >= _capacity)
                {
                    return RingEnqueueResult.Full;
                }

                // Claim the position: fails if another enqueuer took it or the ring was closed meanwhile.
                if (Interlocked.CompareExchange(ref _indices.Tail, tail + 1, tail) == tail)
                {
                    slot.Item = item;
                    // Publish the item: release, so a dequeuer that sees the stamp sees the item.
                    Volatile.Write(ref slot.Sequence, tail + 1);
                    return RingEnqueueResult.Enqueued;
                }
            }
            else if (sequence < tail)
            {
                // The slot still holds the item from one lap ago. Full, unless its dequeuer has already claimed
                // it (the head moved on) and is about to stamp it free: then wait for that stamp.
                if (tail - Volatile.Read(ref _indices.Head) >= _capacity)
                {
                    return RingEnqueueResult.Full;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            // Otherwise our tail was stale: another enqueuer already claimed it. Retry.
        }
    }

    /// <summary>Dequeues the oldest item, unless the ring is empty.</summary>
    public bool TryDequeue(out T item)
    {
        Slot[] slots = _slots;
        SpinWait spinner = default;
        while (true)
        {
            long head = Volatile.Read(ref _indices.Head);
            ref Slot slot = ref slots[head & _mask];
            long sequence = Volatile.Read(ref slot.Sequence);
            if (sequence == head + 1)
            {
                // Claim the position: fails if another dequeuer took it first.
                if (Interlocked.CompareExchange(ref _indices.Head, head + 1, head) == head)
                {
                    item = slot.Item;
                    if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
                    {
                        slot.Item = default!;
                    }

                    // Free the slot for the next lap: release, after our read of the item.
                    Volatile.Write(ref slot.Sequence, head + slots.Length);
                    return true;
                }
            }
            else if (sequence == head)
            {
                // Nothing stamped here yet: empty, unless an enqueuer has claimed this position and is about to
                // stamp it; then wait, as the item is already accepted and ours by FIFO order.
                if ((Volatile.Read(ref _indices.Tail) & ~ClosedMark) == head)
                {
                    item = default!;
                    return false;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            // Otherwise our head was stale: another dequeuer already took it. Retry.
        }
    }

    /// <summary>Reads the oldest item without dequeuing it.</summary>
    public bool TryPeek(out T item)
    {
        SpinWait spinner = default;
        while (true)
        {
            long head = Volatile.Read(ref _indices.Head);
            ref Slot slot = ref _slots[head & _mask];
            if (Volatile.Read(ref slot.Sequence) != head + 1)
            {
                if ((Volatile.Read(ref _indices.Tail) & ~ClosedMark) == head)
                {
                    item = default!;
                    return false;
                }

                // An enqueuer claimed the head position and is about to stamp it.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            item = slot.Item;
            // The item is consistent if its slot was not consumed while we read it (consumption moves the head).
            if (Volatile.Read(ref slot.Sequence) == head + 1 && Volatile.Read(ref _indices.Head) == head)
            {
                return true;
            }
        }
    }

    /// <summary>Closes the ring; returns false if it was already closed.</summary>
    public bool Close() =>
        // Publish "closed" in the word every enqueue CASes: enqueues that claimed a position before this OR
        // complete normally, all later ones fail.
        (Interlocked.Or(ref _indices.Tail, ClosedMark) & ClosedMark) == 0;

    private struct Slot
    {
        public T Item;
        public long Sequence;
    }
}
