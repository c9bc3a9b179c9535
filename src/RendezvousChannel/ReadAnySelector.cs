// ReadAnySelector<T>: the common select, reading from whichever of several readers of one type is ready.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels;

/// <summary>
/// Reads one item from whichever of several readers of one item type has one, built once and reused (no
/// allocation per read in steady state). Readers whose channels are completed and drained are skipped; when all
/// are, reads throw <see cref="ChannelClosedException"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
[DebuggerDisplay("ReadAnySelector<{typeof(T).Name,nq}>, {Readers.Count} readers")]
public sealed class ReadAnySelector<T>
{
    /// <summary>Creates a selector over <paramref name="readers"/> (our channels' readers only).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="readers"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">No readers, or one is not the reader of one of our channels.</exception>
    public ReadAnySelector(IEnumerable<ChannelReader<T>> readers, SelectFairness fairness = SelectFairness.Random) =>
        throw new NotImplementedException();

    /// <summary>The readers, in the order given; <c>Index</c> in the results refers to this list.</summary>
    public IReadOnlyList<ChannelReader<T>> Readers => throw new NotImplementedException();

    /// <summary>Takes an item from a reader that has one now, without waiting.</summary>
    /// <returns>False if no reader has an item now (or all are completed and drained).</returns>
    public bool TryRead(out int index, out T item) => throw new NotImplementedException();

    /// <summary>Waits for an item from any of the readers and takes it.</summary>
    /// <exception cref="ChannelClosedException">Every reader's channel is completed and drained.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled first; nothing was taken.</exception>
    public ValueTask<(int Index, T Item)> ReadAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
