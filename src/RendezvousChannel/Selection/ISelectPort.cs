// ISelectPort<T>: one of our channels as a select clause sees it (what it can try now, where it parks).

using System.Threading.Channels;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Selection;

/// <summary>
/// A channel as select clauses use it: <see cref="RendezvousChannel{T}"/> and <see cref="RingBufferChannel{T}"/>
/// implement it. A select tries a clause with <see cref="TryReadNow"/>/<see cref="TryWriteNow"/> only while it is
/// its own sole decider (<see cref="SelectStatus.Busy"/>), so what they take or hand over is the select's.
/// </summary>
internal interface ISelectPort<T>
{
    /// <summary>True for the unbuffered channel: its clauses park claimable entries; a ring's park signals.</summary>
    bool IsRendezvous { get; }

    /// <summary>The channel's parking layer.</summary>
    ParkingLot<T> Lot { get; }

    /// <summary>The channel's completion (for a closed clause's error).</summary>
    ChannelCompletion Completion { get; }

    /// <summary>The channel's TryRead.</summary>
    bool TryReadNow(out T item);

    /// <summary>The channel's TryWrite (false when full, when no reader is parked, or when completed).</summary>
    bool TryWriteNow(T item);

    /// <summary>Nothing will ever be read again: completed, and every accepted item read.</summary>
    bool IsReadClosed { get; }

    /// <summary>Nothing will ever be written again: completed.</summary>
    bool IsWriteClosed { get; }

    /// <summary>A read (or write) could proceed now: a racy snapshot, for a ring clause's re-check after parking its signal.</summary>
    bool IsReady(WaiterKind kind);
}

/// <summary>A reader or writer of one of our channels: how <see cref="ChannelSelector"/> tells ours from foreign ones.</summary>
internal interface ISelectSide<T>
{
    /// <summary>The channel behind this reader or writer.</summary>
    ISelectPort<T> Port { get; }
}

/// <summary>Finds the channel behind a reader or writer given to a selector.</summary>
internal static class SelectPorts
{
    public static ISelectPort<T>? Of<T>(ChannelReader<T> reader) => (reader as ISelectSide<T>)?.Port;

    public static ISelectPort<T>? Of<T>(ChannelWriter<T> writer) => (writer as ISelectSide<T>)?.Port;
}
