// SelectParking: how a select clause parks its entry for one use of its select (step 2 of SelectCore's protocol).

using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Selection;

/// <summary>Parks a clause's entry for the select use <c>version</c> and says whether the select may wait on it.</summary>
internal static class SelectParking
{
    /// <summary>
    /// A rendezvous clause: its claimable entry joins the channel's dual queue. The enqueue CAS decides, as for a plain
    /// read or write, between "parked" (no partner can park from now on without meeting us) and "a partner is parked"
    /// (or the channel closed): the select must then restart and meet it in its pass (SelectCore, step 3).
    /// </summary>
    public static ParkResult ParkEntry<T>(ISelectPort<T> port, RendezvousSelectEntry<T> entry, long version) =>
        port.Lot.TryParkSelectEntry(entry.Waiter, entry.Kind, version) switch
        {
            EnqueueResult.Enqueued => ParkResult.Parked,
            EnqueueResult.Full => ParkResult.Refused,
            _ => ParkResult.MustRestart,
        };

    /// <summary>
    /// A ring clause: its signal joins the channel's WaitTo callers of <paramref name="kind"/>, then the ring is looked
    /// at again. Dekker: whoever makes the ring ready does so with a CAS and then looks for WaitTo callers; we park with a
    /// CAS and then look at the ring; one of us sees the other, so a ring that is ready, or closed, now is never missed.
    /// </summary>
    public static ParkResult ParkSignal<T>(ISelectPort<T> port, RingSelectSignal signal, WaiterKind kind, long version)
    {
        switch (port.Lot.TryParkSelectSignal(signal.Waiter, kind, version))
        {
            case EnqueueResult.Enqueued:
                bool ready = kind == WaiterKind.Reader
                    ? port.IsReady(WaiterKind.Reader) || port.IsReadClosed
                    : port.IsReady(WaiterKind.Writer) || port.IsWriteClosed;
                return ready ? ParkResult.MustRestart : ParkResult.Parked;
            case EnqueueResult.Full:
                return ParkResult.Refused;
            default:
                // Closed: the channel completed; the pass will tell whether items remain to read.
                return ParkResult.MustRestart;
        }
    }
}
