// WaiterStatus and WaiterKind: the named states of a parked operation, and the side of the channel it stands on.

namespace Rendezvous.Channels.Parking;

/// <summary>
/// The life of one parked operation. Only <see cref="Pending"/> changes: once, by the CAS of its claim (see
/// <see cref="Waiter{T}.TryClaim"/>), or back to <see cref="Pending"/> when a ring's waker releases a claim it
/// could not serve (<see cref="Waiter{T}.ReleaseClaim"/>).
/// </summary>
internal enum WaiterStatus
{
    /// <summary>Parked and unclaimed: a partner, a cancellation or the completion may claim it.</summary>
    Pending = 0,

    /// <summary>A partner claimed it: the item moved (or, for a WaitTo waiter, the answer was set).</summary>
    Matched = 1,

    /// <summary>The channel's completion claimed it: it ends with an error or, for a WaitTo waiter, <c>false</c>.</summary>
    Closed = 2,

    /// <summary>Its cancellation token claimed it: it ends with <see cref="System.OperationCanceledException"/>.</summary>
    Canceled = 3,
}

/// <summary>Which side of a channel a parked waiter stands on.</summary>
internal enum WaiterKind
{
    /// <summary>Waits for an item (ReadAsync), or for the chance of one (WaitToReadAsync).</summary>
    Reader = 0,

    /// <summary>Waits to hand over an item (WriteAsync), or for the chance to (WaitToWriteAsync).</summary>
    Writer = 1,

    /// <summary>
    /// A select's entry that stands on both sides of one unbuffered channel (a read clause and a write clause on
    /// it): a reader to writers and a writer to readers. Parks only in an empty queue
    /// (see Selection/RendezvousSelectEntry.cs).
    /// </summary>
    Either = 2,
}
