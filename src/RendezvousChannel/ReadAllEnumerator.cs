// ReadAllEnumerator<T>: both channels' ReadAllAsync, one parked read per item (as ReadAsync), ending without an exception.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels;

/// <summary>
/// <see cref="ChannelReader{T}.ReadAllAsync"/> for both channels: an enumerable that is its own first enumerator
/// (as a compiler-generated async iterator is), whose <see cref="MoveNextAsync"/> takes each item the way
/// <c>ReadAsync</c> does, through <see cref="IParkingReader{T}.ReadOrPark"/>: at once if one is there, else by one
/// parked read that the writer's hand-off ends (one wake-up per item, where the base class's WaitToReadAsync +
/// TryRead loop takes two). A parked read ended by the completion answers "done" instead of throwing, so a clean
/// completion ends the loop with no exception thrown anywhere.
/// </summary>
/// <remarks>
/// <para>Semantics, as the base class's iterator: the tokens given to ReadAllAsync and to GetAsyncEnumerator (or
/// WithCancellation) both cancel, a linked source joining them when they differ; a cancellation ends the
/// enumeration with <see cref="OperationCanceledException"/>; a completion with an error throws that error from
/// MoveNextAsync; after the end, an exception, or DisposeAsync, MoveNextAsync returns false; DisposeAsync while a
/// MoveNextAsync is in flight throws <see cref="NotSupportedException"/>. Enumerating the enumerable again starts
/// another enumeration that competes with the first for items. A canceled token fails the next MoveNextAsync even
/// if an item is ready (ReadAllAsync's documentation allows either; the base class yields ready items first).</para>
/// <para>Allocation: none per item (the parked read is a pooled waiter, and MoveNextAsync's ValueTask is backed by
/// this object). Per enumeration: this object (plus a linked token source when two different cancelable tokens
/// are given, and a closed exception, never thrown, if the completion ends a parked read): 72 bytes, where the base
/// class's iterator costs about 130-150 (ReadAllContractTests measures both). It is not pooled: a
/// caller may still hold it after DisposeAsync, and its MoveNextAsync must then return false, not read for
/// whoever reused it.</para>
/// </remarks>
[DebuggerDisplay("ReadAllAsync, {_state}")]
internal sealed class ReadAllEnumerator<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>, IValueTaskSource<bool>
{
    private const int Unstarted = 0;
    private const int Enumerating = 1;
    private const int Ended = 2;

    /// <summary>The channel's reader, which reads as ReadAsync does.</summary>
    private readonly IParkingReader<T> _reader;

    /// <summary>The reader's parking lot (<see cref="IParkingReader{T}.Lot"/>), read once: it ends each parked read.</summary>
    private readonly ParkingLot<T> _lot;

    /// <summary>The token given to ReadAllAsync; combined with GetAsyncEnumerator's in <see cref="_cancellationToken"/>.</summary>
    private readonly CancellationToken _readAllToken;

    /// <summary>
    /// <see cref="Unstarted"/> until GetAsyncEnumerator hands this object out (by CAS: a second enumerator is a new
    /// object), then <see cref="Enumerating"/>, then <see cref="Ended"/> for good (end, error, cancellation, dispose).
    /// </summary>
    private int _state;

    /// <summary>The token every read of this enumeration registers; set once by GetAsyncEnumerator.</summary>
    private CancellationToken _cancellationToken;

    /// <summary>Joins the two tokens when both can cancel and differ; disposed when the enumeration ends.</summary>
    private CancellationTokenSource? _linkedTokens;

    /// <summary>The parked read of a MoveNextAsync in flight, null otherwise. Only the enumerating caller touches it.</summary>
    private Waiter<T>? _parkedRead;

    private T _current = default!;

    public ReadAllEnumerator(IParkingReader<T> reader, CancellationToken cancellationToken)
    {
        _reader = reader;
        _lot = reader.Lot;
        _readAllToken = cancellationToken;
    }

    /// <inheritdoc/>
    public T Current => _current;

    /// <inheritdoc/>
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // Claim this object as the first enumerator: the CAS makes one caller its owner; others get their own.
        ReadAllEnumerator<T> enumerator = Interlocked.CompareExchange(ref _state, Enumerating, Unstarted) == Unstarted
            ? this
            : new ReadAllEnumerator<T>(_reader, _readAllToken) { _state = Enumerating };
        enumerator.JoinTokens(cancellationToken);
        return enumerator;
    }

    /// <summary>Combines ReadAllAsync's token with GetAsyncEnumerator's, as a compiler-generated iterator does.</summary>
    private void JoinTokens(CancellationToken enumeratorToken)
    {
        if (!_readAllToken.CanBeCanceled || enumeratorToken.Equals(_readAllToken) || !enumeratorToken.CanBeCanceled)
        {
            _cancellationToken = _readAllToken.CanBeCanceled ? _readAllToken : enumeratorToken;
        }
        else
        {
            _linkedTokens = CancellationTokenSource.CreateLinkedTokenSource(_readAllToken, enumeratorToken);
            _cancellationToken = _linkedTokens.Token;
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> MoveNextAsync()
    {
        if (_state != Enumerating)
        {
            // Ended, or never handed out by GetAsyncEnumerator (not reachable through the public surface).
            return new ValueTask<bool>(false);
        }

        if (_parkedRead is not null)
        {
            ThrowMoveNextInFlight();
        }

        CancellationToken cancellationToken = _cancellationToken;
        if (cancellationToken.IsCancellationRequested)
        {
            End();
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        switch (_reader.ReadOrPark(cancellationToken, out T item, out Waiter<T>? waiter, out long version))
        {
            case ReadAttempt.Item:
                _current = item;
                return new ValueTask<bool>(true);
            case ReadAttempt.Parked:
                Debug.Assert(waiter is not null, "A parked read has its waiter.");
                _parkedRead = waiter;
                return new ValueTask<bool>(this, (short)version);
            default:
                End();
                return _lot.ReadDoneResult();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_parkedRead is not null)
        {
            // As a compiler-generated iterator: it cannot be disposed while a MoveNextAsync is in flight.
            ThrowDisposeInFlight();
        }

        End();
        return default;
    }

    /// <summary>Ends the enumeration for good: later MoveNextAsync calls return false.</summary>
    private void End()
    {
        Volatile.Write(ref _state, Ended);
        _current = default!;
        CancellationTokenSource? linked = _linkedTokens;
        _linkedTokens = null;
        linked?.Dispose();
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) =>
        _lot.ParkedReadStatus(ParkedRead(), token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        ParkedRead().OnCompleted(continuation, state, token, flags);

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        // The waiter checks the token and that its outcome is published before it recycles itself.
        if (_lot.TryEndParkedRead(ParkedRead(), token, out T item, out Exception? error))
        {
            _parkedRead = null;
            _current = item;
            return true;
        }

        _parkedRead = null;
        End();
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return false;
    }

    [DoesNotReturn]
    private static void ThrowMoveNextInFlight() =>
        throw new InvalidOperationException("MoveNextAsync was called again before the previous call completed.");

    [DoesNotReturn]
    private static void ThrowDisposeInFlight() =>
        throw new NotSupportedException("The enumerator cannot be disposed while a MoveNextAsync is in flight.");

    private Waiter<T> ParkedRead()
    {
        Waiter<T>? waiter = _parkedRead;
        if (waiter is null)
        {
            ThrowHelper.ThrowInvalidOperation_NotCompleted();
        }

        return waiter;
    }
}
