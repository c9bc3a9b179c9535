// ThrowHelper: the parking layer's throw sites (misuse of a ValueTask, too many parked operations), kept off the hot paths.

using System;
using System.Diagnostics.CodeAnalysis;

namespace Rendezvous.Channels.Parking;

/// <summary>Throw sites kept out of line so that the hot paths that call them stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalidOperation_MultipleContinuations() =>
        throw new InvalidOperationException("This ValueTask is already being awaited; a ValueTask may be awaited only once.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_StaleToken() =>
        throw new InvalidOperationException("This ValueTask has already been consumed; a ValueTask may be awaited only once.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_NotCompleted() =>
        throw new InvalidOperationException("The operation has not completed yet; await the ValueTask instead of reading its result.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation_TooManyParked(int limit) => throw CreateTooManyParkedException(limit);

    /// <summary>The exception of an operation refused because <paramref name="limit"/> operations of its kind are already parked.</summary>
    public static InvalidOperationException CreateTooManyParkedException(int limit) =>
        new($"{limit} operations of this kind are already parked on this channel, the most it can hold at once; " +
            "this operation was refused and changed nothing. The channel works on: an operation parks again once others have left.");
}
