// RingSelectSignal: a select clause's signal entry among a ring channel's WaitToRead/WaitToWrite callers.
//
// A ring's items are in its buffer, so a ring clause parks no item and no claim on one: like crossbeam's select on an
// array channel (a Context registered with the channel's waker, then the operation retried) and Go's selectgo for a
// buffered channel woken by a sudog, the wake-up only says "try again". The waker's claim moves the select from
// Waiting to Busy; the select's restart then takes the item itself while it is its own sole decider.

using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Selection;

/// <summary>
/// The signal entry of one ring clause (owned by the clause, reused by every select): a <see cref="Waiter{T}"/> of
/// bool parked among the channel's WaitTo callers of the clause's kind. Claimed as they are, by whoever makes the
/// ring ready (or completes it); the claim is the select's CAS <c>Waiting(v) → Busy(v)</c>, and whatever the claimer
/// publishes next (true, false or an error) means the same: restart the select, which looks again.
/// </summary>
internal sealed class RingSelectSignal : SharedClaim<bool>
{
    private readonly SelectCore _core;

    public RingSelectSignal(SelectCore core, WaiterKind kind)
    {
        _core = core;
        Waiter = new Waiter<bool>(this, kind);
    }

    /// <summary>The waiter parked among the WaitTo callers.</summary>
    public Waiter<bool> Waiter { get; }

    /// <inheritdoc/>
    public override bool TryClaim(long version, WaiterStatus outcome) => _core.TryClaim(version, SelectState.Busy(version));

    /// <inheritdoc/>
    public override bool IsPending(long version) => _core.IsWaiting(version);

    /// <inheritdoc/>
    public override bool OfferedItem => false;

    /// <inheritdoc/>
    public override bool TryPeekOffer(long version, out bool item)
    {
        item = false;
        return false;
    }

    /// <inheritdoc/>
    public override void PublishDelivered(bool item) => _core.ScheduleRestart();

    /// <inheritdoc/>
    public override void PublishTaken() => _core.ScheduleRestart();

    /// <inheritdoc/>
    public override void PublishClosed() => _core.ScheduleRestart();
}
