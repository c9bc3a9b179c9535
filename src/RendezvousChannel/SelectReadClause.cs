// SelectReadClause<T>: a select clause that reads one item from one of our channels.

using System.Threading.Channels;

namespace Rendezvous.Channels;

/// <summary>A clause that reads one item from a <see cref="RendezvousChannel{T}"/> or <see cref="RingBufferChannel{T}"/>.</summary>
/// <typeparam name="T">The type of the channel's items.</typeparam>
public sealed class SelectReadClause<T> : SelectClause
{
    internal SelectReadClause(ChannelSelector selector, int index, ChannelReader<T> reader)
        : base(selector, index)
    {
        Reader = reader;
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

    /// <inheritdoc/>
    public override string ToString() => $"clause {Index}: read {typeof(T).Name}";
}
