// ReadAnySelector<T>: the common select, reading from whichever of several readers of one type is ready.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
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
    /// <summary>One read clause per reader, in the readers' order (clause index = reader index).</summary>
    private readonly ChannelSelector _selector;

    private readonly SelectReadClause<T>[] _clauses;

    private readonly ChannelReader<T>[] _readers;

    /// <summary>How many readers are not yet known to be completed and drained (enabled clauses). Between selects only.</summary>
    private int _open;

    /// <summary>The completion error of the last reader found closed, thrown (wrapped) once all are.</summary>
    private Exception? _lastError;

    /// <summary>Creates a selector over <paramref name="readers"/> (our channels' readers only).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="readers"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">No readers, or one is not the reader of one of our channels.</exception>
    public ReadAnySelector(IEnumerable<ChannelReader<T>> readers, SelectFairness fairness = SelectFairness.Random)
    {
        ArgumentNullException.ThrowIfNull(readers);
        _readers = [.. readers];
        if (_readers.Length == 0)
        {
            throw new ArgumentException("At least one reader is needed.", nameof(readers));
        }

        _selector = new ChannelSelector(fairness);
        _clauses = new SelectReadClause<T>[_readers.Length];
        for (int i = 0; i < _readers.Length; i++)
        {
            ChannelReader<T> reader = _readers[i] ?? throw new ArgumentNullException(nameof(readers), $"Reader {i} is null.");
            if (Selection.SelectPorts.Of(reader) is null)
            {
                throw new ArgumentException(
                    $"Reader {i} is not the reader of a RendezvousChannel<T> or RingBufferChannel<T>; only those can be selected over.",
                    nameof(readers));
            }

            _clauses[i] = _selector.AddRead(reader);
        }

        _open = _readers.Length;
    }

    /// <summary>The readers, in the order given; <c>Index</c> in the results refers to this list.</summary>
    public IReadOnlyList<ChannelReader<T>> Readers => _readers;

    /// <summary>Takes an item from a reader that has one now, without waiting.</summary>
    /// <returns>False if no reader has an item now (or all are completed and drained).</returns>
    public bool TryRead(out int index, out T item)
    {
        while (_open > 0 && _selector.TrySelect(out SelectResult result))
        {
            if (!result.IsClosed)
            {
                index = result.Index;
                item = _clauses[index].Item;
                return true;
            }

            Disable(result);
        }

        index = -1;
        item = default!;
        return false;
    }

    /// <summary>Waits for an item from any of the readers and takes it.</summary>
    /// <exception cref="ChannelClosedException">Every reader's channel is completed and drained.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled first; nothing was taken.</exception>
    public ValueTask<(int Index, T Item)> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (_open > 0)
        {
            ValueTask<SelectResult> pending = _selector.SelectAsync(cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return ReadAsyncSlow(pending, cancellationToken);
            }

            SelectResult result = pending.Result;
            if (!result.IsClosed)
            {
                return new ValueTask<(int Index, T Item)>((result.Index, _clauses[result.Index].Item));
            }

            Disable(result);
        }

        return ValueTask.FromException<(int Index, T Item)>(CreateAllClosedException());
    }

    /// <summary>The select parked: await it (a pooled state machine, so a steady-state loop allocates nothing).</summary>
#if !COYOTE
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<(int Index, T Item)> ReadAsyncSlow(ValueTask<SelectResult> pending, CancellationToken cancellationToken)
    {
        SelectResult result = await pending.ConfigureAwait(false);
        while (result.IsClosed)
        {
            Disable(result);
            if (_open == 0)
            {
                throw CreateAllClosedException();
            }

            result = await _selector.SelectAsync(cancellationToken).ConfigureAwait(false);
        }

        return (result.Index, _clauses[result.Index].Item);
    }

    /// <summary>A reader found completed and drained takes no part in later reads (Go's nil channel).</summary>
    private void Disable(SelectResult closed)
    {
        Debug.Assert(closed.IsClosed && closed.Clause.IsEnabled, "Only an enabled clause is found closed.");
        closed.Clause.IsEnabled = false;
        _lastError = closed.CompletionError ?? _lastError;
        _open--;
    }

    /// <summary>What a read throws once every reader is completed and drained, as a completed channel's ReadAsync would.</summary>
    private Exception CreateAllClosedException() => _lastError switch
    {
        OperationCanceledException canceled => canceled,
        Exception error => new ChannelClosedException(error),
        null => new ChannelClosedException(),
    };
}
