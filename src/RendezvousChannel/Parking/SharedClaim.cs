// SharedClaim<T>: what a parked Waiter<T> defers to when its outcome is shared with other parked waiters (the
// clauses of one select), so that claiming it claims them all. The parking layer defines it; Selection implements it.

namespace Rendezvous.Channels.Parking;

/// <summary>
/// A shared outcome behind a parked <see cref="Waiter{T}"/> made with <see cref="Waiter{T}(SharedClaim{T}, WaiterKind)"/>
/// (in the library: the select behind one of its clauses' entries). The parking layer claims, looks at and publishes such a waiter exactly as any other, and the waiter forwards each
/// step here, where the claim is one CAS on the selector's state word (Selection/SelectCore.cs), so a partner that
/// claims the entry has claimed the whole select, and every other clause of it is dead from that instant.
/// </summary>
internal abstract class SharedClaim<T>
{
    /// <summary>The claim: one CAS from <c>Waiting(version)</c>; fails for a stale entry or a decided select.</summary>
    public abstract bool TryClaim(long version, WaiterStatus outcome);

    /// <summary>Whether the select use <paramref name="version"/> is still waiting (the entry is live).</summary>
    public abstract bool IsPending(long version);

    /// <summary>Claimer of a write entry: the item it hands over (read before <see cref="PublishTaken"/>).</summary>
    public abstract T OfferedItem { get; }

    /// <summary>Anyone, without claiming: the item a live write entry of <paramref name="version"/> offers (TryPeek).</summary>
    public abstract bool TryPeekOffer(long version, out T item);

    /// <summary>Claimer of a read entry: hands <paramref name="item"/> to the select, which ends with that clause.</summary>
    public abstract void PublishDelivered(T item);

    /// <summary>Claimer of a write entry, after reading <see cref="OfferedItem"/>: the select ends with that clause.</summary>
    public abstract void PublishTaken();

    /// <summary>The completion claimed the entry: the select ends with the clause's channel closed.</summary>
    public abstract void PublishClosed();
}
