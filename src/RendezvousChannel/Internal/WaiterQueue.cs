using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Internal;

/// <summary>What <see cref="WaiterQueue{T}.TryEnqueue"/> did.</summary>
internal enum EnqueueResult
{
    /// <summary>The waiter is parked at the tail.</summary>
    Enqueued,

    /// <summary>Nothing changed: waiters of the other kind are parked, so the caller must meet them instead.</summary>
    OtherKindParked,

    /// <summary>Nothing changed: the queue is closed (its channel completed).</summary>
    Closed,
}

/// <summary>
/// A lock-free FIFO "dual" queue of parked waiters: at any moment it holds only readers or only writers
/// (a <see cref="WaiterKind"/>), so "meet a parked partner, else park myself" is decided by one CAS on one
/// state word, the way a Scherer–Scott dual queue decides it, and no operation needs a re-check after it
/// parks. Entries live in a ring of sequence-stamped slots (Vyukov's bounded MPMC queue, as in
/// ConcurrentQueueSegment and crossbeam's array flavour); the ring grows by copy when full.
/// </summary>
/// <remarks>
/// <para>State word (<see cref="Ring.State"/>): head position (32 bits, wrapping) | count (24 bits) | kind |
/// frozen | closed. A CAS on it claims a position: the tail position <c>head + count</c> for an enqueue, the
/// head for a dequeue. The claimer then owns that slot: an enqueuer writes it and stamps
/// <c>Sequence = position + 1</c>; a dequeuer waits for that stamp, reads, clears and stamps
/// <c>position + capacity</c>, freeing the slot for the next lap. A waiter for a stamp spins only while
/// another thread is between its CAS and its stamp (a few instructions), as in Vyukov's queue.</para>
/// <para>Entries are <c>(waiter, version)</c> pairs. An entry is not proof that its waiter is still parked: it
/// may have been canceled, and even recycled. Whoever dequeues an entry must claim the waiter with
/// <see cref="Waiter{T}.TryClaim"/> using the entry's version, and skip the entry if that fails.</para>
/// <para>Growth: a full ring is frozen (a CAS sets the frozen bit, after which every CAS on it fails), its
/// live entries are copied in order into a larger ring, and the new ring is installed with a CAS. Any
/// thread that sees a frozen ring helps, so no thread waits on another's growth. Growth happens only when
/// more operations are parked at once than ever before on this channel, so steady state allocates nothing.</para>
/// </remarks>
[DebuggerDisplay("Count = {Count}, Kind = {Kind}")]
internal sealed class WaiterQueue<T> : IWaiterOwner
{
#if COYOTE
    // Systematic testing (tests/Coyote): the third parked operation fills a ring of 2, so the scenarios' few parties grow it.
    private const int InitialCapacity = 2;
#else
    private const int InitialCapacity = 8;
#endif
    private const int MaxCapacity = 1 << 23;
    private const int CountShift = 32;
    private const long CountUnit = 1L << CountShift;
    private const long CountMask = ((1L << 24) - 1) << CountShift;
    private const long WriterKindBit = 1L << 56;
    private const long FrozenBit = 1L << 57;
    private const long ClosedBit = 1L << 58;

    /// <summary>The current ring. Replaced only by growth, with a CAS from the frozen ring it copies.</summary>
    private Ring _ring = new(InitialCapacity);

    /// <summary>Number of entries, live or dead (a racy snapshot unless the channel is quiescent).</summary>
    public int Count => GetCount(Volatile.Read(ref _ring).ReadState());

    /// <summary>The kind of the entries, meaningful only when <see cref="Count"/> is not zero.</summary>
    public WaiterKind Kind => GetKind(Volatile.Read(ref _ring).ReadState());

    /// <summary>Whether the queue has been closed.</summary>
    public bool IsClosed => (Volatile.Read(ref _ring).ReadState() & ClosedBit) != 0;

    /// <summary>Whether entries of <paramref name="kind"/> are parked (one volatile read; live or dead).</summary>
    public bool HasParked(WaiterKind kind)
    {
        long state = Volatile.Read(ref _ring).ReadState();
        return GetCount(state) != 0 && GetKind(state) == kind;
    }

    /// <summary>Whether no entry is parked (one volatile read).</summary>
    public bool IsEmpty => GetCount(Volatile.Read(ref _ring).ReadState()) == 0;

    /// <summary>
    /// Parks <paramref name="waiter"/> at the tail, unless waiters of the other kind are parked or the queue
    /// is closed. The caller must already have armed the waiter, and must not touch it after success
    /// except through the version it holds: from the moment of the CAS it can be claimed.
    /// </summary>
    public EnqueueResult TryEnqueue(WaiterKind kind, Waiter<T> waiter, long version)
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ring.ReadState();
            if ((state & FrozenBit) != 0)
            {
                ring = HelpGrow(ring);
                continue;
            }

            int count = GetCount(state);
            if (count != 0 && GetKind(state) != kind)
            {
                return EnqueueResult.OtherKindParked;
            }

            if ((state & ClosedBit) != 0)
            {
                return EnqueueResult.Closed;
            }

            if (count == ring.Capacity)
            {
                // Full: drop dead entries at the head if there are any, else freeze so the ring can grow.
                if (!TryPopDeadHead(ring, state) &&
                    Interlocked.CompareExchange(ref ring.State, state | FrozenBit, state) == state)
                {
                    ring = HelpGrow(ring);
                }

                continue;
            }

            long claimed = ((state + CountUnit) & ~WriterKindBit) | (kind == WaiterKind.Writer ? WriterKindBit : 0);
            // Claim the tail position: the CAS succeeds only if the queue is still empty or of our kind, still
            // open and not frozen, so "no partner is parked" and "I am parked" become true at the same instant.
            if (Interlocked.CompareExchange(ref ring.State, claimed, state) == state)
            {
                AssertValid(ring, claimed);
                uint position = GetHead(state) + (uint)count;
                ring.Write(position, waiter, version);
                return EnqueueResult.Enqueued;
            }
        }
    }

    /// <summary>
    /// Takes the oldest entry if the queue holds entries of <paramref name="kind"/>. The entry may be dead:
    /// the caller claims it with <see cref="Waiter{T}.TryClaim"/> and, if that fails, simply calls again.
    /// </summary>
    public bool TryDequeue(WaiterKind kind, out Waiter<T> waiter, out long version) =>
        TryDequeueCore(kind, anyKind: false, out waiter, out version);

    /// <summary>Takes the oldest entry of either kind (used to drain a closed queue).</summary>
    public bool TryDequeueAny(out Waiter<T> waiter, out long version) =>
        TryDequeueCore(WaiterKind.Reader, anyKind: true, out waiter, out version);

    private bool TryDequeueCore(WaiterKind kind, bool anyKind, out Waiter<T> waiter, out long version)
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ring.ReadState();
            if ((state & FrozenBit) != 0)
            {
                ring = HelpGrow(ring);
                continue;
            }

            if (GetCount(state) == 0 || (!anyKind && GetKind(state) != kind))
            {
                waiter = null!;
                version = 0;
                return false;
            }

#if PLANTED_BUGS
            if (PlantedBugSwitch.Is(PlantedBug.CheckThenActDequeue))
            {
                // Planted bug (tests/Coyote): take the head by a plain write after the look; an enqueue or
                // dequeue that moved the state in between is overwritten.
                Volatile.Write(ref ring.State, NextHeadState(state));
                ring.Read(GetHead(state), out waiter, out version);
                return true;
            }
#endif
            // Claim the head position; the kind bit stays, so an emptied queue remembers its last kind harmlessly.
            if (Interlocked.CompareExchange(ref ring.State, NextHeadState(state), state) == state)
            {
                ring.Read(GetHead(state), out waiter, out version);
                return true;
            }
        }
    }

    /// <summary>
    /// Closes the queue: from now on <see cref="TryEnqueue"/> fails with <see cref="EnqueueResult.Closed"/>.
    /// Entries already parked stay until dequeued (the channel drains them).
    /// </summary>
    public void Close()
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ring.ReadState();
            if ((state & FrozenBit) != 0)
            {
                ring = HelpGrow(ring);
                continue;
            }

            // Publish "closed" in the same word every enqueue CASes, so no enqueue can slip past it.
            if ((state & ClosedBit) != 0 || Interlocked.CompareExchange(ref ring.State, state | ClosedBit, state) == state)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    void IWaiterOwner.OnWaiterCanceled() => TrimDeadHead();

    /// <summary>Drops dead entries (canceled waiters) from the head, stopping at the first live one.</summary>
    public void TrimDeadHead()
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ring.ReadState();
            if ((state & FrozenBit) != 0)
            {
                ring = HelpGrow(ring);
                continue;
            }

            if (!TryPopDeadHead(ring, state))
            {
                // Either the head is live, the queue is empty, or the state moved; in the last case retry.
                if (ring.ReadState() == state)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Counts the live entries of <paramref name="kind"/>: a racy snapshot, for diagnostics only.</summary>
    public int CountLive(WaiterKind kind)
    {
        Ring ring = Volatile.Read(ref _ring);
        long state = ring.ReadState();
        int count = GetCount(state);
        int live = 0;
        if (count == 0)
        {
            return 0;
        }

        uint head = GetHead(state);
        for (int i = 0; i < count; i++)
        {
            if (ring.TryPeek(head + (uint)i, out Waiter<T> waiter, out long version) &&
                waiter.Kind == kind && waiter.IsPending(version))
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>
    /// If the head entry is written and dead, pops it by a CAS on the unchanged <paramref name="state"/> and
    /// returns true. A dead entry never becomes live again (its version's claim is final), so the peek
    /// stays true up to the CAS, and the CAS fails if anyone else moved the queue meanwhile.
    /// </summary>
    private static bool TryPopDeadHead(Ring ring, long state)
    {
        if (GetCount(state) == 0)
        {
            return false;
        }

        uint head = GetHead(state);
        if (!ring.TryPeek(head, out Waiter<T> waiter, out long version) || waiter.IsPending(version))
        {
            return false;
        }

        // Claim the head position of a dead entry; we then own the slot and free it like any dequeuer.
        if (Interlocked.CompareExchange(ref ring.State, NextHeadState(state), state) != state)
        {
            return false;
        }

        ring.Read(head, out _, out _);
        return true;
    }

    /// <summary>
    /// Replaces the frozen <paramref name="frozen"/> ring by a copy of its live entries (in order, in a ring
    /// large enough for them plus room to grow), unless someone already has, and returns the current ring.
    /// </summary>
    private Ring HelpGrow(Ring frozen)
    {
        Ring current = Volatile.Read(ref _ring);
        if (current != frozen)
        {
            return current;
        }

        long state = frozen.ReadState();
        Debug.Assert((state & FrozenBit) != 0, "Only a frozen ring is replaced.");
        uint head = GetHead(state);
        int count = GetCount(state);

        // Collect the live entries. No dequeue can claim a frozen position and no enqueue can claim a new
        // one; an enqueuer that claimed a position before the freeze may still be writing it, so wait for
        // its stamp. A waiter that dies after we looked is copied as a dead entry, which is harmless.
        var waiters = new Waiter<T>[count];
        var versions = new long[count];
        int live = 0;
        for (int i = 0; i < count; i++)
        {
            frozen.WaitAndPeek(head + (uint)i, out Waiter<T> waiter, out long version);
            if (waiter.IsPending(version))
            {
                waiters[live] = waiter;
                versions[live] = version;
                live++;
            }
        }

        int capacity = frozen.Capacity;
        while (live * 2 > capacity)
        {
            if (capacity >= MaxCapacity)
            {
                ThrowHelper.ThrowInvalidOperation_TooManyWaiters();
            }

            capacity *= 2;
        }

        var grown = new Ring(capacity, head, waiters, versions, live,
            (state & ~(FrozenBit | CountMask | 0xFFFFFFFFL)) | ((long)live << CountShift) | head);

        // Install the copy; if another helper installed its own copy first, ours is dropped unseen.
        Ring witnessed = Interlocked.CompareExchange(ref _ring, grown, frozen);
        return witnessed == frozen ? grown : witnessed;
    }

    /// <summary>The state word's invariants: never more entries than slots, and a frozen ring is never changed.</summary>
    [Conditional("DEBUG")]
    private static void AssertValid(Ring ring, long state)
    {
        Debug.Assert(GetCount(state) <= ring.Capacity, "A ring never holds more entries than it has slots.");
        Debug.Assert((state & FrozenBit) == 0, "No position is claimed in a frozen ring.");
    }

    private static uint GetHead(long state) => (uint)state;

    private static int GetCount(long state) => (int)((state & CountMask) >> CountShift);

    private static WaiterKind GetKind(long state) => (state & WriterKindBit) != 0 ? WaiterKind.Writer : WaiterKind.Reader;

    private static long NextHeadState(long state) =>
        (state & ~(CountMask | 0xFFFFFFFFL)) | ((state - CountUnit) & CountMask) | (uint)((uint)state + 1);

    /// <summary>One ring of sequence-stamped slots and its state word.</summary>
    private sealed class Ring
    {
        /// <summary>See <see cref="WaiterQueue{T}"/>: head | count | kind | frozen | closed. Changed only by CAS.</summary>
        public long State;

        /// <summary>
        /// Slot <c>i</c> serves positions <c>p ≡ i (mod Capacity)</c>. <c>Sequence == p</c>: free for an enqueue
        /// at <c>p</c>; <c>Sequence == p + 1</c>: holds the entry at <c>p</c>.
        /// </summary>
        private readonly Slot[] _slots;

        private readonly int _mask;

        public Ring(int capacity)
        {
            Debug.Assert(int.IsPow2(capacity));
            _slots = new Slot[capacity];
            _mask = capacity - 1;
            for (int i = 0; i < capacity; i++)
            {
                _slots[i].Sequence = (uint)i;
            }
        }

        public Ring(int capacity, uint head, Waiter<T>[] waiters, long[] versions, int count, long state)
            : this(capacity)
        {
            for (int k = 0; k < capacity; k++)
            {
                uint position = head + (uint)k;
                ref Slot slot = ref _slots[position & (uint)_mask];
                if (k < count)
                {
                    slot.Waiter = waiters[k];
                    slot.Version = versions[k];
                    slot.Sequence = position + 1;
                }
                else
                {
                    slot.Sequence = position;
                }
            }

            // Plain write: the ring is published afterwards by the CAS that installs it.
            State = state;
        }

        public int Capacity => _slots.Length;

        public long ReadState() => Volatile.Read(ref State);

        /// <summary>Enqueuer that claimed <paramref name="position"/>: fills its slot and stamps it.</summary>
        public void Write(uint position, Waiter<T> waiter, long version)
        {
            ref Slot slot = ref _slots[position & (uint)_mask];
            // The previous lap's dequeuer of this slot may still be reading it: wait for its release stamp.
            SpinUntil(ref slot.Sequence, position);
            slot.Waiter = waiter;
            slot.Version = version;
            // Publish the entry: release, so a dequeuer that sees the stamp sees the waiter and version.
            Volatile.Write(ref slot.Sequence, position + 1);
        }

        /// <summary>Dequeuer that claimed <paramref name="position"/>: reads its entry and frees the slot.</summary>
        public void Read(uint position, out Waiter<T> waiter, out long version)
        {
            ref Slot slot = ref _slots[position & (uint)_mask];
            // The enqueuer that claimed this position may still be writing it: wait for its stamp (acquire).
            SpinUntil(ref slot.Sequence, position + 1);
            waiter = slot.Waiter!;
            version = slot.Version;
            slot.Waiter = null;
            // Free the slot for the enqueuer of the next lap: release, after our reads.
            Volatile.Write(ref slot.Sequence, position + (uint)_slots.Length);
        }

        /// <summary>Reads the entry at <paramref name="position"/> without claiming it, if it is written.</summary>
        public bool TryPeek(uint position, out Waiter<T> waiter, out long version)
        {
            ref Slot slot = ref _slots[position & (uint)_mask];
            if (Volatile.Read(ref slot.Sequence) != position + 1)
            {
                waiter = null!;
                version = 0;
                return false;
            }

            waiter = slot.Waiter!;
            version = slot.Version;
            // Only a dequeue that claimed this position may clear the slot, and the caller's CAS on the state
            // word fails if that happened; a torn read here is therefore never acted upon.
            return waiter is not null;
        }

        /// <summary>Growth only: reads a frozen ring's entry, waiting for an enqueuer still writing it.</summary>
        public void WaitAndPeek(uint position, out Waiter<T> waiter, out long version)
        {
            ref Slot slot = ref _slots[position & (uint)_mask];
            SpinUntil(ref slot.Sequence, position + 1);
            waiter = slot.Waiter!;
            version = slot.Version;
        }

        private static void SpinUntil(ref uint sequence, uint expected)
        {
            SpinWait spinner = default;
            while (Volatile.Read(ref sequence) != expected)
            {
                // Another thread is between its claiming CAS and its stamp; yield rather than burn its core.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    private struct Slot
    {
        public Waiter<T>? Waiter;
        public long Version;
        public uint Sequence;
    }
}
