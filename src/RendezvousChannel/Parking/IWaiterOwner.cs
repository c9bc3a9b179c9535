namespace Rendezvous.Channels.Parking;

/// <summary>The queue a waiter is parked in, as seen by the waiter.</summary>
internal interface IWaiterOwner
{
    /// <summary>
    /// A waiter parked here was canceled. It stays as a dead entry (skipped by whoever dequeues it); the
    /// queue drops dead entries at its head now so that they do not pile up.
    /// </summary>
    void OnWaiterCanceled();
}
