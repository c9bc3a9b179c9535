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
    public static void ThrowInvalidOperation_TooManyWaiters() =>
        throw new InvalidOperationException("Too many operations are parked on one channel at once.");
}
