// SelectWriteClause<T>: a select clause that writes one item to one of our channels.

using System.Threading.Channels;
using Rendezvous.Channels.Parking;
using Rendezvous.Channels.Selection;

namespace Rendezvous.Channels;

/// <summary>A clause that writes <see cref="Item"/> to a <see cref="RendezvousChannel{T}"/> or <see cref="RingBufferChannel{T}"/>.</summary>
/// <typeparam name="T">The type of the channel's items.</typeparam>
public sealed class SelectWriteClause<T> : SelectClause
{
    /// <summary>The channel behind <see cref="Writer"/>.</summary>
    private readonly ISelectPort<T> _port;

    /// <summary>For an unbuffered channel: the clause's claimable entry, reused by every select; else null.</summary>
    private readonly RendezvousSelectEntry<T>? _entry;

    /// <summary>For a ring: the clause's signal entry among the ring's WaitToWrite callers; else null.</summary>
    private readonly RingSelectSignal? _signal;

    internal SelectWriteClause(ChannelSelector selector, int index, ChannelWriter<T> writer, ISelectPort<T> port, T item)
        : base(selector, index)
    {
        Writer = writer;
        Item = item;
        _port = port;
        if (port.IsRendezvous)
        {
            _entry = new RendezvousSelectEntry<T>(selector.Core, port, index);
        }
        else
        {
            _signal = new RingSelectSignal(selector.Core, WaiterKind.Writer);
        }
    }

    /// <summary>The writer this clause writes to.</summary>
    public ChannelWriter<T> Writer { get; }

    /// <summary>
    /// The item the next select offers through this clause. It is handed over only if this clause wins; set it
    /// between selects (a select reads it when it starts).
    /// </summary>
    public T Item { get; set; }

    /// <summary>
    /// The item the current select offers: <see cref="Item"/> as its passes found it. Written only by the selecting side
    /// while the select is Busy (each pass), never while an entry of it is claimable, so a partner that claimed the
    /// select (or a seqlock peek, see <see cref="RendezvousSelectEntry{T}.TryPeekOffer"/>) reads the value of that use.
    /// </summary>
    internal T Offered { get; private set; } = default!;

    /// <inheritdoc/>
    public override bool IsWrite => true;

    internal override object PortIdentity => _port;

    internal override bool IsRendezvous => _entry is not null;

    internal override bool ChannelMayChain => _port.Lot.MayChain;

    internal override void Prepare()
    {
        Role = SelectRole.Own;
        _entry?.StandFor(null, this);
    }

    internal override bool TryNow(out SelectResult result)
    {
        // Snapshot the item this select offers: its passes run while it is Busy, so no parked entry of this select can
        // be peeked at meanwhile (a stale entry's peek sees the state leave Waiting around its read and drops it), and
        // its entries, parked after the first pass, offer exactly what the passes offered.
        T offered = Item;
        Offered = offered;
        if (_port.TryWriteNow(offered))
        {
            result = new SelectResult(this, isClosed: false, completionError: null);
            return true;
        }

        if (_port.IsWriteClosed)
        {
            result = new SelectResult(this, isClosed: true, _port.Completion.Error);
            return true;
        }

        result = default;
        return false;
    }

    internal override ParkResult Park(long version) => _entry is not null
        ? SelectParking.ParkEntry(_port, _entry, version)
        : SelectParking.ParkSignal(_port, _signal!, WaiterKind.Writer, version);

    /// <inheritdoc/>
    public override string ToString() => $"clause {Index}: write {typeof(T).Name}";
}
