// ChannelSelect: one-shot conveniences over ChannelSelector/ReadAnySelector.

using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels;

/// <summary>One-shot selects. Each call builds a selector (a few small allocations); in a loop, reuse a
/// <see cref="ReadAnySelector{T}"/> or <see cref="ChannelSelector"/> instead.</summary>
public static class ChannelSelect
{
    /// <summary>Reads one item from whichever of <paramref name="readers"/> has one first.</summary>
    /// <returns>The index of the reader in <paramref name="readers"/> and the item.</returns>
    /// <exception cref="ChannelClosedException">Every reader's channel is completed and drained.</exception>
    public static ValueTask<(int Index, T Item)> ReadAnyAsync<T>(ChannelReader<T>[] readers, CancellationToken cancellationToken = default) =>
        new ReadAnySelector<T>(readers).ReadAsync(cancellationToken);
}
