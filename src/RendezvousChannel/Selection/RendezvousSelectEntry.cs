// RendezvousSelectEntry<T>: a select clause's claimable entry in an unbuffered channel's dual queue.
//
// The entry is the select's stand-in among the channel's parked reads or writes, claimed by the same CAS a plain
// Waiter's claim is (Kotlin's select registering a clause in BufferedChannel, Koval et al., PPoPP 2023; crossbeam's
// Context registered in a zero-capacity channel's waker). A read clause and a write clause of one select on one
// channel park ONE entry of kind Either, which partners of both kinds meet and which parks only in an empty queue, so
// the select can never meet itself, and a second select of that shape meets the first instead of parking beside it.

using System.Diagnostics;
using System.Threading;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Selection;

/// <summary>
/// The entry of one rendezvous clause (owned by the clause, reused by every select of its selector): a
/// <see cref="Waiter{T}"/> that forwards to this object. In one select it stands for a read clause, a write clause,
/// or both (an Either entry: which one wins is decided by the partner's kind, known by what it does after its claim).
/// </summary>
internal sealed class RendezvousSelectEntry<T> : SharedClaim<T>
{
    private readonly SelectCore _core;
    private readonly ISelectPort<T> _port;

    /// <summary>
    /// The index of the clause that owns this entry, fixed for its lifetime: what a claim writes into the state word.
    /// A claimer may hold a stale entry while the selecting thread rewrites <see cref="_read"/> and <see cref="_write"/>
    /// for its next select, so nothing before the claim's CAS may read them.
    /// </summary>
    private readonly int _ownerIndex;

    /// <summary>The read clause this entry stands for in the current select, if any (set by the selecting thread before the select waits).</summary>
    private SelectReadClause<T>? _read;

    /// <summary>The write clause this entry stands for in the current select, if any (set likewise).</summary>
    private SelectWriteClause<T>? _write;

    public RendezvousSelectEntry(SelectCore core, ISelectPort<T> port, int ownerIndex)
    {
        _core = core;
        _port = port;
        _ownerIndex = ownerIndex;
        Waiter = new Waiter<T>(this, WaiterKind.Reader);
    }

    /// <summary>The waiter parked in the channel's queue; entries are <c>(Waiter, select version)</c>.</summary>
    public Waiter<T> Waiter { get; }

    /// <summary>
    /// Selecting thread, at the start of a select (no entry of the new use is parked yet, and stale entries' claims
    /// fail): which clauses this entry stands for. Published to claimers by the CAS that makes the select wait.
    /// </summary>
    public void StandFor(SelectReadClause<T>? read, SelectWriteClause<T>? write)
    {
        Debug.Assert(read is not null || write is not null, "An entry stands for at least one clause.");
        _read = read;
        _write = write;
    }

    /// <summary>The side the entry parks on in this select.</summary>
    public WaiterKind Kind => _read is null ? WaiterKind.Writer : _write is null ? WaiterKind.Reader : WaiterKind.Either;

    /// <summary>Claimer only (the fields are stable once the select is claimed): the clause reported closed, the pair's first.</summary>
    private SelectClause ClosedClause
    {
        get
        {
            SelectReadClause<T>? read = _read;
            SelectWriteClause<T>? write = _write;
            Debug.Assert(read is not null || write is not null, "A claimed entry stands for a clause.");
            return read is null ? write! : write is null || read.Index < write.Index ? read : write;
        }
    }

    /// <inheritdoc/>
    public override bool TryClaim(long version, WaiterStatus outcome) =>
        // The word names the owning clause (for an Either entry the partner's kind decides which clause wins only after
        // the claim, in PublishDelivered or PublishTaken). Nothing of the current select is read before the CAS: this
        // entry may be stale, its fields being rewritten for the next select (see _ownerIndex).
        _core.TryClaim(version, SelectState.Won(version, _ownerIndex, outcome == WaiterStatus.Closed));

    /// <inheritdoc/>
    public override bool IsPending(long version) => _core.IsWaiting(version);

    /// <inheritdoc/>
    public override T OfferedItem
    {
        get
        {
            Debug.Assert(_write is not null, "Only an entry that stands for a write clause offers an item.");
            return _write.Offered;
        }
    }

    /// <inheritdoc/>
    public override bool TryPeekOffer(long version, out T item)
    {
        // A seqlock read, as Waiter.TryPeekOffer: the clause's offered item is written only by the selecting thread
        // at the start of a select, before its first Waiting state, so if the state reads Waiting(version) on both
        // sides of the read, the item is the one that use offers.
        SelectWriteClause<T>? write = _write;
        if (write is null || !_core.IsWaiting(version))
        {
            item = default!;
            return false;
        }

        item = write.Offered;
        // Full fence: the read of the item must not sink below the second look.
        Interlocked.MemoryBarrier();
        if (!_core.IsWaiting(version))
        {
            item = default!;
            return false;
        }

        return true;
    }

    /// <inheritdoc/>
    public override void PublishDelivered(T item)
    {
        SelectReadClause<T>? read = _read;
        Debug.Assert(read is not null, "A writer meets only an entry that stands for a read clause.");
        read.Item = item;
        _core.Finish(new SelectResult(read, isClosed: false, completionError: null));
    }

    /// <inheritdoc/>
    public override void PublishTaken()
    {
        SelectWriteClause<T>? write = _write;
        Debug.Assert(write is not null, "A reader meets only an entry that stands for a write clause.");
        _core.Finish(new SelectResult(write, isClosed: false, completionError: null));
    }

    /// <inheritdoc/>
    public override void PublishClosed() =>
        _core.Finish(new SelectResult(ClosedClause, isClosed: true, _port.Completion.Error));
}
