// IItemBuffer<T>: a buffering channel's items as the parking lot sees them when it serves parked operations.

namespace Rendezvous.Channels.Parking;

/// <summary>What <see cref="IItemBuffer{T}.TryAdd"/> did.</summary>
internal enum BufferAddResult
{
    /// <summary>The item is in the buffer.</summary>
    Added,

    /// <summary>The buffer is full; nothing changed.</summary>
    Full,

    /// <summary>The buffer is closed (its channel completed); nothing changed, and nothing will ever be added again.</summary>
    Closed,
}

/// <summary>
/// A buffering channel's items, as the <see cref="ParkingLot{T}"/> sees them when it serves parked readers from
/// them and moves parked writers' items into them. Implemented by a struct, so that the lot's generic methods
/// are specialized for it and every call is direct.
/// </summary>
internal interface IItemBuffer<T>
{
    /// <summary>Takes the oldest item, unless the buffer is empty.</summary>
    bool TryTake(out T item);

    /// <summary>Adds <paramref name="item"/> after the newest, unless the buffer is full or closed.</summary>
    BufferAddResult TryAdd(T item);

    /// <summary>Whether the buffer is closed and every item it accepted has been taken.</summary>
    bool IsClosedAndEmpty { get; }
}
