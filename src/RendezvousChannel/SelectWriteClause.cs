// SelectWriteClause<T>: a select clause that writes one item to one of our channels.

using System.Threading.Channels;

namespace Rendezvous.Channels;

/// <summary>A clause that writes <see cref="Item"/> to a <see cref="RendezvousChannel{T}"/> or <see cref="RingBufferChannel{T}"/>.</summary>
/// <typeparam name="T">The type of the channel's items.</typeparam>
public sealed class SelectWriteClause<T> : SelectClause
{
    internal SelectWriteClause(ChannelSelector selector, int index, ChannelWriter<T> writer, T item)
        : base(selector, index)
    {
        Writer = writer;
        Item = item;
    }

    /// <summary>The writer this clause writes to.</summary>
    public ChannelWriter<T> Writer { get; }

    /// <summary>
    /// The item the next select offers through this clause. It is handed over only if this clause wins; set it
    /// between selects (a select reads it when it starts).
    /// </summary>
    public T Item { get; set; }

    /// <inheritdoc/>
    public override bool IsWrite => true;

    /// <inheritdoc/>
    public override string ToString() => $"clause {Index}: write {typeof(T).Name}";
}
