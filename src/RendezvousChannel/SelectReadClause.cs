// SelectReadClause<T>: a select clause that reads one item from one of our channels.

using System.Diagnostics;
using System.Threading.Channels;
using Rendezvous.Channels.Parking;
using Rendezvous.Channels.Selection;

namespace Rendezvous.Channels;

/// <summary>A clause that reads one item from a <see cref="RendezvousChannel{T}"/> or <see cref="RingBufferChannel{T}"/>.</summary>
/// <typeparam name="T">The type of the channel's items.</typeparam>
public sealed class SelectReadClause<T> : SelectClause
{
    /// <summary>The channel behind <see cref="Reader"/>.</summary>
    private readonly ISelectPort<T> _port;

    /// <summary>For an unbuffered channel: the clause's claimable entry, reused by every select; else null.</summary>
    private readonly RendezvousSelectEntry<T>? _entry;

    /// <summary>For a ring: the clause's signal entry among the ring's WaitToRead callers; else null.</summary>
    private readonly RingSelectSignal? _signal;

    internal SelectReadClause(ChannelSelector selector, int index, ChannelReader<T> reader, ISelectPort<T> port)
        : base(selector, index)
    {
        Reader = reader;
        _port = port;
        if (port.IsRendezvous)
        {
            _entry = new RendezvousSelectEntry<T>(selector.Core, port, index);
        }
        else
        {
            _signal = new RingSelectSignal(selector.Core, WaiterKind.Reader);
        }
    }

    /// <summary>The reader this clause reads from.</summary>
    public ChannelReader<T> Reader { get; }

    /// <summary>
    /// The item this clause took in the select it last won (not closed); <c>default</c> before that. Read it before
    /// the selector's next select.
    /// </summary>
    public T Item { get; internal set; } = default!;

    /// <inheritdoc/>
    public override bool IsWrite => false;

    internal override object PortIdentity => _port;

    internal override bool IsRendezvous => _entry is not null;

    internal override bool ChannelMayChain => _port.Lot.MayChain;

    internal override void Prepare()
    {
        Role = SelectRole.Own;
        _entry?.StandFor(this, null);
    }

    internal override void StandForBoth(SelectClause write)
    {
        Debug.Assert(_entry is not null && ReferenceEquals(write.PortIdentity, _port), "A pair shares one unbuffered channel.");
        Role = SelectRole.Both;
        _entry.StandFor(this, (SelectWriteClause<T>)write);
    }

    internal override bool TryNow(out SelectResult result)
    {
        if (_port.TryReadNow(out T item))
        {
            Item = item;
            result = new SelectResult(this, isClosed: false, completionError: null);
            return true;
        }

        // Looked at after the read failed: a completed ring still holding items is not closed to readers.
        if (_port.IsReadClosed)
        {
            result = new SelectResult(this, isClosed: true, _port.Completion.Error);
            return true;
        }

        result = default;
        return false;
    }

    internal override ParkResult Park(long version) => _entry is not null
        ? SelectParking.ParkEntry(_port, _entry, version)
        : SelectParking.ParkSignal(_port, _signal!, WaiterKind.Reader, version);

    /// <inheritdoc/>
    public override string ToString() => $"clause {Index}: read {typeof(T).Name}";
}
