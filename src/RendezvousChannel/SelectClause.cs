// SelectClause: one read or write clause of a ChannelSelector.

using System.Diagnostics;
using Rendezvous.Channels.Selection;

namespace Rendezvous.Channels;

/// <summary>
/// One clause of a <see cref="ChannelSelector"/>: a read from one of our channels
/// (<see cref="SelectReadClause{T}"/>) or a write to one (<see cref="SelectWriteClause{T}"/>). Made by
/// <see cref="ChannelSelector.AddRead{T}"/> and <see cref="ChannelSelector.AddWrite{T}(System.Threading.Channels.ChannelWriter{T}, T)"/>, and reused by every select of
/// that selector.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public abstract class SelectClause
{
    private protected SelectClause(ChannelSelector selector, int index)
    {
        Selector = selector;
        Index = index;
    }

    /// <summary>The selector this clause belongs to.</summary>
    public ChannelSelector Selector { get; }

    /// <summary>This clause's position among its selector's clauses, from 0, in the order they were added.</summary>
    public int Index { get; }

    /// <summary>
    /// Whether the next selects consider this clause (true when added). A disabled clause takes part in no select,
    /// as a nil channel in Go's <c>select</c>; for example, disable a read clause once its channel is closed. May be
    /// changed only between selects.
    /// </summary>
    public bool IsEnabled { get; set; } = true;

    /// <summary>Whether this is a write clause.</summary>
    public abstract bool IsWrite { get; }

    /// <summary>The channel this clause reads or writes (its port): clauses on one channel share it.</summary>
    internal abstract object PortIdentity { get; }

    /// <summary>Whether the channel is unbuffered (the clause parks a claimable entry) rather than a ring (a signal).</summary>
    internal abstract bool IsRendezvous { get; }

    /// <summary>Whether the clause's channel chains the continuations it wakes (<see cref="ContinuationMode.Chained"/>).</summary>
    internal abstract bool ChannelMayChain { get; }

    /// <summary>What the clause parks in the current select (set by the selecting thread before it waits).</summary>
    internal SelectRole Role { get; set; }

    /// <summary>Selecting thread, before the select parks its clauses (Busy): stand for itself.</summary>
    internal abstract void Prepare();

    /// <summary>Selecting thread, before the select parks its clauses: this read clause's entry also stands for <paramref name="write"/>, on the same channel.</summary>
    internal virtual void StandForBoth(SelectClause write) => Debug.Fail("Only a rendezvous read clause pairs with a write clause.");

    /// <summary>
    /// The owner of the select's Busy state only: tries the clause once without waiting. True if it took effect (the
    /// item moved) or its channel is closed, with the outcome; false, with nothing changed, otherwise.
    /// </summary>
    internal abstract bool TryNow(out SelectResult result);

    /// <summary>The select, while Waiting(<paramref name="version"/>): parks the clause's entry for that use.</summary>
    internal abstract ParkResult Park(long version);
}
