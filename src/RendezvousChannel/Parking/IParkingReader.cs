// IParkingReader<T> and ReadAttempt: a channel's read, as ReadAsync and ReadAllAsync's enumerator both take it.

using System.Threading;

namespace Rendezvous.Channels.Parking;

/// <summary>What one <see cref="IParkingReader{T}.ReadOrPark"/> came to.</summary>
internal enum ReadAttempt
{
    /// <summary>An item was taken at once.</summary>
    Item,

    /// <summary>Nothing to take: a rented reader is parked, and its waiter will end the read.</summary>
    Parked,

    /// <summary>The channel is completed and drained: nothing will ever be read again. Nothing was rented.</summary>
    Done,
}

/// <summary>
/// A channel's reader as the code that reads from it sees it: one read, taken exactly as <c>ReadAsync</c> takes it
/// (an item now, or one parked waiter that a writer or the completion ends), with "done" as an answer rather than
/// an exception. <c>ReadAsync</c> and <see cref="ReadAllEnumerator{T}"/> both read through it.
/// </summary>
internal interface IParkingReader<T>
{
    /// <summary>The channel's parking lot, which ends parked reads.</summary>
    ParkingLot<T> Lot { get; }

    /// <summary>
    /// Takes an item at once, or parks a reader (with <paramref name="cancellationToken"/> armed on it) and returns
    /// its waiter and version, or says the channel is done. The caller has checked the token beforehand.
    /// </summary>
    ReadAttempt ReadOrPark(CancellationToken cancellationToken, out T item, out Waiter<T>? waiter, out long version);
}
