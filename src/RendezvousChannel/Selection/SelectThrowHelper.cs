// SelectThrowHelper: the select layer's throw sites (misuse, refused parking), kept off the hot paths.

using System;
using System.Diagnostics.CodeAnalysis;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels.Selection;

/// <summary>Throw sites kept out of line so that the select paths that call them stay small.</summary>
internal static class SelectThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalidOperation_SelectPending() =>
        throw new InvalidOperationException("A select is already pending on this selector; a selector runs one select at a time (await the pending one, or use another selector).");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_NoEnabledClause(int clauses) =>
        throw new InvalidOperationException(clauses == 0
            ? "The selector has no clauses: add read or write clauses before selecting."
            : "Every clause of the selector is disabled: a select needs at least one enabled clause (it would wait forever).");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_AddWhilePending() =>
        throw new InvalidOperationException("Clauses cannot be added while a select is pending on this selector.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_TooManyClauses() =>
        throw new InvalidOperationException($"A selector holds at most {SelectState.MaxClauses} clauses.");

    [DoesNotReturn]
    public static void ThrowArgument_ForeignReader(string paramName) =>
        throw new ArgumentException(
            "Only the reader of a RendezvousChannel<T> or RingBufferChannel<T> can be a select clause: a foreign ChannelReader<T> offers no way to wait on it without taking its item.",
            paramName);

    [DoesNotReturn]
    public static void ThrowArgument_ForeignWriter(string paramName) =>
        throw new ArgumentException(
            "Only the writer of a RendezvousChannel<T> or RingBufferChannel<T> can be a select clause: a foreign ChannelWriter<T> offers no way to wait on it without handing over its item.",
            paramName);

    /// <summary>A select refused because one of its clauses' queues holds as many parked entries as it may.</summary>
    public static InvalidOperationException CreateTooManyParkedException() =>
        ThrowHelper.CreateTooManyParkedException(WaiterQueue<object>.MaxCapacity);
}
