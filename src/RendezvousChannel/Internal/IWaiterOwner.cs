namespace RendezvousChannel.Internal;

/// <summary>A channel, as seen by the waiters it parks.</summary>
internal interface IWaiterOwner
{
    /// <summary>
    /// A waiter of <paramref name="kind"/> was canceled while parked. It stays in its queue as a dead entry
    /// (skipped by whoever dequeues it); the owner may drop dead entries now so they do not pile up.
    /// </summary>
    void OnWaiterCanceled(WaiterKind kind);
}
