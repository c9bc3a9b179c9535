using System;
using System.Threading;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// The bodies of the library's <c>#if PLANTED_BUGS</c> hooks: the deliberately broken variants of the parking
/// layer's claim protocol (see <see cref="PlantedBug"/>). Compiled only into this copy of the library, so the
/// shipped sources carry a one-line call at each site and no broken code. Every hook does nothing (and says so)
/// unless its bug is the active one.
/// </summary>
internal static class PlantedBugHooks
{
    /// <summary>
    /// <see cref="PlantedBug.NoRecheckAfterParking"/>: a WaitTo caller that just parked trusts its look before
    /// parking; readiness that arrived meanwhile is missed.
    /// </summary>
    public static bool SkipRecheckAfterParking => PlantedBugSwitch.Is(PlantedBug.NoRecheckAfterParking);

    /// <summary>
    /// <see cref="PlantedBug.CheckThenActClaim"/>: claims a waiter by a look, then a plain write, where the real
    /// claim is one CAS; a second claimer can read Pending in between. True if the bug is on; then
    /// <paramref name="won"/> is the broken claim's answer.
    /// </summary>
    public static bool ClaimByLookThenWrite(ref long state, long pending, long claimed, out bool won)
    {
        won = false;
        if (!PlantedBugSwitch.Is(PlantedBug.CheckThenActClaim))
        {
            return false;
        }

        if (Volatile.Read(ref state) == pending)
        {
            Volatile.Write(ref state, claimed);
            won = true;
        }

        return true;
    }

    /// <summary>
    /// <see cref="PlantedBug.CheckThenActDequeue"/>: takes a waiter queue's head by a plain write of the state
    /// computed from the caller's earlier look; an enqueue or dequeue that moved the state in between is
    /// overwritten. True if the bug is on and the head was "taken": the caller then reads the head slot.
    /// </summary>
    public static bool TakeHeadByPlainWrite(ref long state, long next)
    {
        if (!PlantedBugSwitch.Is(PlantedBug.CheckThenActDequeue))
        {
            return false;
        }

        Volatile.Write(ref state, next);
        return true;
    }

    /// <summary>
    /// <see cref="PlantedBug.CompletionForgetsOneWaiter"/>: the completion's drain drops the oldest parked waiter
    /// unanswered; it never wakes.
    /// </summary>
    public static void DropOldestParked<T>(WaiterQueue<T> parked)
    {
        if (PlantedBugSwitch.Is(PlantedBug.CompletionForgetsOneWaiter))
        {
            parked.TryDequeueAny(out _, out _);
        }
    }

    /// <summary>
    /// <see cref="PlantedBug.CancellationAlsoDelivers"/>: a cancellation that lost the claim publishes itself all
    /// the same. True if it did (the caller then returns).
    /// </summary>
    public static bool PublishCancellationThatLost<T>(Waiter<T> waiter, long version, CancellationToken cancellationToken)
    {
        if (!PlantedBugSwitch.Is(PlantedBug.CancellationAlsoDelivers) || waiter.IsPending(version))
        {
            return false;
        }

        waiter.PublishError(new OperationCanceledException(cancellationToken));
        return true;
    }
}
