// WaiterQueue<T>: the lock-free dual queue of parked waiters (readers only or writers only at any moment).
//
// Algorithm: Scherer & Scott's dual queue ("Nonblocking Concurrent Data Structures with Condition
// Synchronization", DISC 2004), laid out as a growable ring of sequence-stamped slots after Vyukov's bounded
// MPMC queue (1024cores.net; as in .NET's ConcurrentQueueSegment and crossbeam's array flavour).

using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rendezvous.Channels.Parking;

/// <summary>What <see cref="WaiterQueue{T}.TryEnqueue"/> did.</summary>
internal enum EnqueueResult
{
    /// <summary>The waiter is parked at the tail.</summary>
    Enqueued,

    /// <summary>Nothing changed: waiters of the other kind are parked, so the caller must meet them instead.</summary>
    OtherKindParked,

    /// <summary>Nothing changed: the queue is closed (its channel completed).</summary>
    Closed,

    /// <summary>
    /// Nothing changed: the queue already holds as many entries as it ever may (<see cref="WaiterQueue{T}.MaxCapacity"/>,
    /// unless a test lowered it), so this one operation is refused; the queue works on, and takes entries again once
    /// some have left.
    /// </summary>
    Full,
}

/// <summary>
/// A lock-free FIFO "dual" queue of parked waiters: at any moment it holds only readers or only writers
/// (a <see cref="WaiterKind"/>), so "meet a parked partner, else park myself" is decided by one CAS on one
/// state word, the way a Scherer–Scott dual queue decides it: a read and a write can never both park, so a
/// party that parks here needs no re-check after parking to find its partner. (Parking anywhere else does:
/// a WaitTo caller, and a ring channel's reader or writer against the ring; see <see cref="ParkingLot{T}"/>.)
/// Entries live in a ring of sequence-stamped slots (Vyukov's bounded MPMC queue, as in
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
/// <para>Resizing: a ring is frozen (a CAS sets the frozen bit, after which every CAS on it fails), its live
/// entries are copied in order into a new ring, and the new ring is installed with a CAS. Any thread that sees a
/// frozen ring helps, so no thread waits on another's resize. A ring is frozen to grow when it is full (growth
/// happens only when more operations are parked at once than ever before), and to shrink back to
/// <see cref="InitialCapacity"/> when a dequeue leaves a large ring empty after it has stayed at most a quarter
/// full for a while (<see cref="_quietPositionsBeforeShrink"/>). The while doubles at every shrink, so a workload
/// whose bursts recur regrows and shrinks only a few times before the ring stays grown: steady state allocates
/// nothing, while a channel that once had a burst gives the memory back.</para>
/// <para>Limit: a ring never grows past <see cref="MaxCapacity"/> (the count field's width). A full ring at that
/// size refuses the one enqueue that does not fit (<see cref="EnqueueResult.Full"/>) without freezing anything,
/// so every other operation, closing included, goes on as before.</para>
/// <para>Closing: once the closed bit is set, <see cref="TryDequeue"/> (a partner meeting a parked waiter) refuses,
/// so every entry still parked then is left to the completion's drain (<see cref="TryDequeueAny"/>): a partner's
/// dequeue CAS and the close CAS are ordered on one word, so each parked waiter is either taken by a partner
/// before the close or failed by the drain, and the waiters a partner took are the oldest ones.</para>
/// </remarks>
[DebuggerDisplay("Count = {Count}, Kind = {Kind}")]
internal sealed class WaiterQueue<T>
{
    /// <summary>The capacity of a new queue's ring, and what a shrink returns to.</summary>
#if COYOTE
    // Systematic testing (tests/Coyote): the third parked operation fills a ring of 2, so the scenarios' few parties grow it.
    internal const int InitialCapacity = 2;
#else
    internal const int InitialCapacity = 8;
#endif

    /// <summary>
    /// The most entries a queue may hold at once: its ring never grows larger (2^23 slots, the largest power of two
    /// the 24-bit count field can count). An enqueue that finds the ring full at this size is refused.
    /// </summary>
    internal const int MaxCapacity = 1 << 23;

    /// <summary>Caps the shrink hysteresis, so that the wrapping position arithmetic that measures it stays exact.</summary>
    private const uint MaxQuietPositionsBeforeShrink = 1u << 30;
    private const int CountShift = 32;
    private const long CountUnit = 1L << CountShift;
    private const long CountMask = ((1L << 24) - 1) << CountShift;
    private const long WriterKindBit = 1L << 56;
    private const long FrozenBit = 1L << 57;
    private const long ClosedBit = 1L << 58;

    /// <summary>
    /// The entries are <see cref="WaiterKind.Either"/> (select entries standing on both sides): partners of either
    /// kind meet them, and such an entry parks only in an empty queue (so at most one is parked at a time, and a
    /// second select of that shape meets the first). With it the kind takes two bits.
    /// </summary>
    private const long EitherKindBit = 1L << 59;

    /// <summary>The current ring. Replaced only by a resize, with a CAS from the frozen ring it copies.</summary>
    private Ring _ring = new(InitialCapacity);

    /// <summary>
    /// The most entries this queue may hold: <see cref="MaxCapacity"/>, or a smaller power of two set by a test
    /// before first use (<see cref="LimitCapacity"/>). Read only where a full ring decides to grow or refuse.
    /// </summary>
    private int _capacityLimit = MaxCapacity;

    /// <summary>
    /// Shrink hysteresis: how many positions must have been enqueued since the ring was last more than a quarter
    /// full (<see cref="Ring.BusyMark"/>) before a dequeue that empties it shrinks it. Zero at first, so a one-off
    /// burst is given back as soon as it is gone; at least doubled by every shrink (plain writes by the shrinking
    /// installer: a lost update only shifts when the next shrink happens).
    /// </summary>
    private uint _quietPositionsBeforeShrink;

    /// <summary>Number of entries, live or dead (a racy snapshot unless the channel is quiescent).</summary>
    public int Count => GetCount(Volatile.Read(ref _ring).ReadState());

    /// <summary>The kind of the entries, meaningful only when <see cref="Count"/> is not zero.</summary>
    public WaiterKind Kind => GetKind(Volatile.Read(ref _ring).ReadState());

    /// <summary>Whether entries of <paramref name="kind"/> are parked (one volatile read; live or dead).</summary>
    public bool HasParked(WaiterKind kind)
    {
        long state = Volatile.Read(ref _ring).ReadState();
        return GetCount(state) != 0 && Serves(state, kind);
    }

    /// <summary>Whether no entry is parked (one volatile read).</summary>
    public bool IsEmpty => GetCount(Volatile.Read(ref _ring).ReadState()) == 0;

    /// <summary>The most entries this queue may hold at once.</summary>
    public int CapacityLimit => _capacityLimit;

    /// <summary>The current ring's number of slots (a racy snapshot, for tests and diagnostics).</summary>
    public int Capacity => Volatile.Read(ref _ring).Capacity;

    /// <summary>
    /// Tests only, before first use: lowers the most entries the queue may hold to <paramref name="limit"/>, a power of
    /// two from <see cref="InitialCapacity"/> to <see cref="MaxCapacity"/>, so that the limit can be reached cheaply.
    /// </summary>
    public void LimitCapacity(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, InitialCapacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxCapacity);
        if (!int.IsPow2(limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be a power of two.");
        }

        _capacityLimit = limit;
    }

    /// <summary>
    /// Parks <paramref name="waiter"/> at the tail, unless the queue is closed, waiters of the other kind are
    /// parked, or the queue holds as many entries as it may. The caller must already have armed the waiter, and
    /// must not touch it after success except through the version it holds: from the moment of the CAS it can
    /// be claimed.
    /// </summary>
    public EnqueueResult TryEnqueue(WaiterKind kind, Waiter<T> waiter, long version)
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ReadUnfrozenState(ref ring);

            // Closed first: a closed queue's remaining entries belong to the completion's drain, and a caller told
            // "other kind parked" would go and try to meet them.
            if ((state & ClosedBit) != 0)
            {
                return EnqueueResult.Closed;
            }

            int count = GetCount(state);
            // An Either entry (a select standing on both sides) parks only in an empty queue: among parked Either
            // entries of other selects it would be their partner, so its caller must go and meet them instead.
            if (count != 0 && (GetKind(state) != kind || kind == WaiterKind.Either))
            {
                return EnqueueResult.OtherKindParked;
            }

            if (count == ring.Capacity)
            {
                // Full: drop a dead entry at the head if there is one.
                if (TryPopDeadHead(ring, state))
                {
                    continue;
                }

                if (ring.Capacity >= _capacityLimit)
                {
                    // At the limit: refuse this one enqueue, changing nothing (no freeze, so nobody else is
                    // affected). The refusal takes effect at this re-read, which still finds the ring full.
                    if (ring.ReadState() == state)
                    {
                        return EnqueueResult.Full;
                    }

                    continue;
                }

                // Freeze so the ring can grow: the CAS fails if anyone moved the ring since we read it full.
                if (Interlocked.CompareExchange(ref ring.State, state | FrozenBit, state) == state)
                {
                    ring = HelpResize(ring);
                }

                continue;
            }

            long claimed = ((state + CountUnit) & ~(WriterKindBit | EitherKindBit)) | KindBits(kind);
            // Claim the tail position: the CAS succeeds only if the queue is still empty or of our kind, still
            // open and not frozen, so "no partner is parked" and "I am parked" become true at the same instant.
            if (Interlocked.CompareExchange(ref ring.State, claimed, state) == state)
            {
                AssertValid(ring, claimed);
                uint position = GetHead(state) + (uint)count;
                if (count >= ring.QuarterCapacity)
                {
                    // More than a quarter full: too busy to shrink. A plain write (a heuristic, read only by a
                    // dequeue that empties the ring); only rings that grew past the initial size ever take it.
                    ring.BusyMark = position + 1;
                }

                ring.Write(position, waiter, version);
                return EnqueueResult.Enqueued;
            }
        }
    }

    /// <summary>
    /// A partner's dequeue: takes the oldest entry if the queue is open and holds entries of <paramref name="kind"/>.
    /// Once the queue is closed, what is left belongs to the completion's drain (see the class remarks). The entry
    /// may be dead: the caller claims it with <see cref="Waiter{T}.TryClaim"/> and, if that fails, simply calls again.
    /// </summary>
    public bool TryDequeue(WaiterKind kind, out Waiter<T> waiter, out long version) =>
        TryDequeueCore(kind, anyKind: false, evenIfClosed: false, out waiter, out version);

    /// <summary>
    /// A buffering channel's balancing step: like <see cref="TryDequeue"/>, but also once the queue is closed,
    /// where the caller's closed buffer decides the outcome (parked readers take what is left; a parked writer's
    /// item is refused by the closed buffer).
    /// </summary>
    public bool TryDequeueToServe(WaiterKind kind, out Waiter<T> waiter, out long version) =>
        TryDequeueCore(kind, anyKind: false, evenIfClosed: true, out waiter, out version);

    /// <summary>Takes the oldest entry of either kind, open or closed (draining a closed queue; waking WaitTo callers).</summary>
    public bool TryDequeueAny(out Waiter<T> waiter, out long version) =>
        TryDequeueCore(WaiterKind.Reader, anyKind: true, evenIfClosed: true, out waiter, out version);

    private bool TryDequeueCore(WaiterKind kind, bool anyKind, bool evenIfClosed, out Waiter<T> waiter, out long version)
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ReadUnfrozenState(ref ring);

            if (GetCount(state) == 0 || (!anyKind && !Serves(state, kind)) || (!evenIfClosed && (state & ClosedBit) != 0))
            {
                waiter = null!;
                version = 0;
                return false;
            }

#if PLANTED_BUGS
            if (PlantedBugHooks.TakeHeadByPlainWrite(ref ring.State, NextHeadState(state))) { ring.Read(GetHead(state), out waiter, out version); return true; }
#endif
            // Claim the head position; the kind bit stays, so an emptied queue remembers its last kind harmlessly.
            // The CAS compares the closed bit too: a partner's dequeue that succeeds is ordered before the close.
            if (Interlocked.CompareExchange(ref ring.State, NextHeadState(state), state) == state)
            {
                ring.Read(GetHead(state), out waiter, out version);
                if (GetCount(state) == 1 && ring.CanShrink)
                {
                    TryShrink(ring, NextHeadState(state));
                }

                return true;
            }
        }
    }

    /// <summary>
    /// Reads the oldest entry without taking it, if the queue holds entries of <paramref name="kind"/>: false if it
    /// holds none. True with a null <paramref name="waiter"/> if the head entry is not readable at this instant (its
    /// enqueuer is between its CAS and its stamp, or a dequeuer just took it): the caller looks again. Like any entry,
    /// the one returned may be dead; only <paramref name="version"/> checked against the waiter tells.
    /// </summary>
    public bool TryPeekHead(WaiterKind kind, out Waiter<T>? waiter, out long version)
    {
        Ring ring = Volatile.Read(ref _ring);
        long state = ReadUnfrozenState(ref ring);
        // A closed queue shows nothing, as TryDequeue takes nothing from it: its entries belong to the drain.
        if (GetCount(state) == 0 || !Serves(state, kind) || (state & ClosedBit) != 0)
        {
            waiter = null;
            version = 0;
            return false;
        }

        // Read-only: the slot's stamp (acquire) tells whether it still holds the entry at the head we saw.
        if (!ring.TryPeek(GetHead(state), out Waiter<T> entry, out version))
        {
            waiter = null;
            return true;
        }

        waiter = entry;
        return true;
    }

    /// <summary>
    /// Closes the queue: from now on <see cref="TryEnqueue"/> fails with <see cref="EnqueueResult.Closed"/> and
    /// <see cref="TryDequeue"/> finds nothing. Entries already parked stay until the channel drains them.
    /// </summary>
    public void Close()
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ReadUnfrozenState(ref ring);

            // Publish "closed" in the same word every enqueue and dequeue CASes, so no enqueue and no partner's
            // dequeue can slip past it: each of theirs either precedes this CAS or fails and sees the bit.
            if ((state & ClosedBit) != 0 || Interlocked.CompareExchange(ref ring.State, state | ClosedBit, state) == state)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Drops dead entries (canceled waiters) from the head, stopping at the first live one. Called by a waiter
    /// whose cancellation left it dead in this queue, so that dead entries do not pile up.
    /// </summary>
    public void TrimDeadHead()
    {
        Ring ring = Volatile.Read(ref _ring);
        while (true)
        {
            long state = ReadUnfrozenState(ref ring);

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
                (waiter.Kind == kind || waiter.Kind == WaiterKind.Either) && waiter.IsPending(version))
            {
                live++;
            }
        }

        return live;
    }

    /// <summary>
    /// The park timestamp (<see cref="Waiter{T}.ParkedAt"/>) of the longest-parked live entry that has one, or 0:
    /// a racy snapshot, for diagnostics only. A stamp is kept only if its entry is still pending after it was
    /// read, so a stamp of a waiter recycled meanwhile is dropped.
    /// </summary>
    public long OldestLiveParkTimestamp()
    {
        Ring ring = Volatile.Read(ref _ring);
        long state = ring.ReadState();
        int count = GetCount(state);
        uint head = GetHead(state);
        long oldest = 0;
        for (int i = 0; i < count; i++)
        {
            if (ring.TryPeek(head + (uint)i, out Waiter<T> waiter, out long version))
            {
                // The stamp is read before the state (both acquire reads), so a pending state vouches for it.
                long parkedAt = waiter.ParkedAt;
                if (parkedAt != 0 && waiter.IsPending(version) && (oldest == 0 || parkedAt < oldest))
                {
                    oldest = parkedAt;
                }
            }
        }

        return oldest;
    }

    /// <summary>
    /// If the head entry is written and dead, pops it by a CAS on the unchanged <paramref name="state"/> and
    /// returns true. A dead entry never becomes live again (its version's claim is final), so the peek
    /// stays true up to the CAS, and the CAS fails if anyone else moved the queue meanwhile.
    /// </summary>
    private bool TryPopDeadHead(Ring ring, long state)
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
        if (GetCount(state) == 1 && ring.CanShrink)
        {
            TryShrink(ring, NextHeadState(state));
        }

        return true;
    }

    /// <summary>
    /// Called by the dequeue that left a grown <paramref name="ring"/> empty (<paramref name="emptyState"/>, as its
    /// CAS wrote it): shrinks the ring back to <see cref="InitialCapacity"/> if it has stayed at most a quarter
    /// full for long enough (<see cref="_quietPositionsBeforeShrink"/>). Off the hot path: only grown rings call it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TryShrink(Ring ring, long emptyState)
    {
        Debug.Assert(GetCount(emptyState) == 0);
        if (GetHead(emptyState) - ring.BusyMark < _quietPositionsBeforeShrink)
        {
            return;
        }

        // Freeze the ring only while it is still exactly as our dequeue left it, empty: the CAS fails if anyone
        // enqueued, closed or froze it since, and then we simply do not shrink (a later emptying may).
        if (Interlocked.CompareExchange(ref ring.State, emptyState | FrozenBit, emptyState) == emptyState)
        {
            _ = HelpResize(ring);
        }
    }

    /// <summary>
    /// Reads the state of <paramref name="ring"/>, first helping any growth in progress to finish: the state
    /// returned is that of an unfrozen ring, which <paramref name="ring"/> names on return. Every operation
    /// opens with it, so no thread waits on another's growth.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadUnfrozenState(ref Ring ring)
    {
        long state = ring.ReadState();
        while ((state & FrozenBit) != 0)
        {
            ring = HelpResize(ring);
            state = ring.ReadState();
        }

        return state;
    }

    /// <summary>
    /// Replaces the frozen <paramref name="frozen"/> ring by a copy of its live entries, in order, unless someone
    /// already has, and returns the current ring. A ring frozen empty was frozen to shrink (a ring frozen to grow is
    /// full): its copy has <see cref="InitialCapacity"/> slots. Otherwise the copy has room for twice its entries,
    /// which a ring frozen to grow, being below the limit, can always double to.
    /// </summary>
    private Ring HelpResize(Ring frozen)
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

        bool shrinking = count == 0;
        int capacity = shrinking ? InitialCapacity : frozen.Capacity;
        while (live * 2 > capacity && capacity < _capacityLimit)
        {
            capacity *= 2;
        }

        Debug.Assert(live <= capacity, "A ring frozen to grow is below the limit, so its copy can hold every entry.");
        var copy = new Ring(capacity, head, waiters, versions, live,
            (state & ~(FrozenBit | CountMask | 0xFFFFFFFFL)) | ((long)live << CountShift) | head);

        // Install the copy; if another helper installed its own copy first, ours is dropped unseen.
        Ring witnessed = Interlocked.CompareExchange(ref _ring, copy, frozen);
        if (witnessed != frozen)
        {
            return witnessed;
        }

        if (shrinking)
        {
            // Hysteresis: the next shrink waits for at least twice as long, and at least as many positions as
            // the ring just given back had slots, so recurring bursts soon stop paying for a regrowth.
            uint quiet = Math.Max(_quietPositionsBeforeShrink * 2, (uint)frozen.Capacity);
            _quietPositionsBeforeShrink = Math.Min(quiet, MaxQuietPositionsBeforeShrink);
        }

        return copy;
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

    private static WaiterKind GetKind(long state) =>
        (state & EitherKindBit) != 0 ? WaiterKind.Either : (state & WriterKindBit) != 0 ? WaiterKind.Writer : WaiterKind.Reader;

    /// <summary>
    /// Whether the entries of a non-empty queue in <paramref name="state"/> are what a partner looking for
    /// <paramref name="kind"/> meets: entries of that kind, or <see cref="WaiterKind.Either"/> entries. The plain
    /// paths pay the second test only when the first fails.
    /// </summary>
    private static bool Serves(long state, WaiterKind kind)
    {
        long bits = state & (WriterKindBit | EitherKindBit);
        return bits == KindBits(kind) || bits == EitherKindBit;
    }

    private static long KindBits(WaiterKind kind) => kind switch
    {
        WaiterKind.Writer => WriterKindBit,
        WaiterKind.Either => EitherKindBit,
        _ => 0,
    };

    private static long NextHeadState(long state) =>
        (state & ~(CountMask | 0xFFFFFFFFL)) | ((state - CountUnit) & CountMask) | (uint)((uint)state + 1);

    /// <summary>One ring of sequence-stamped slots and its state word.</summary>
    private sealed class Ring
    {
        /// <summary>See <see cref="WaiterQueue{T}"/>: head | count | kind | frozen | closed. Changed only by CAS.</summary>
        public long State;

        /// <summary>
        /// One past the position of the last entry enqueued while the ring was more than a quarter full (the tail
        /// position at the creation of a grown ring): a dequeue that empties the ring measures how long it has been
        /// quiet from here. Plain reads and writes: a stale value only moves a shrink earlier or later.
        /// </summary>
        public uint BusyMark;

        /// <summary>Whether the ring is larger than <see cref="InitialCapacity"/>, so that it may shrink.</summary>
        public readonly bool CanShrink;

        /// <summary>An enqueue that finds this many entries or more marks the ring busy; never, for a ring that cannot shrink.</summary>
        public readonly int QuarterCapacity;

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
            CanShrink = capacity > InitialCapacity;
            QuarterCapacity = CanShrink ? capacity / 4 : int.MaxValue;
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

            // Plain writes: the ring is published afterwards by the CAS that installs it.
            BusyMark = head + (uint)count;
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
