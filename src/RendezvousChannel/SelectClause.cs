// SelectClause: one read or write clause of a ChannelSelector.

using System.Diagnostics;

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
}
