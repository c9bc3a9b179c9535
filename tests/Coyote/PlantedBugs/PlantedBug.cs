namespace Rendezvous.Channels.Parking;

/// <summary>
/// The deliberately broken variants of the hand-off machinery, one per <c>#if PLANTED_BUGS</c> hook in the
/// library's sources (their code is in <see cref="PlantedBugHooks"/>). They exist only in this copy of the library, so that the Coyote tests can prove their
/// scenarios catch each kind of bug they claim to catch.
/// </summary>
internal enum PlantedBug
{
    /// <summary>The real machinery: every hook is inert.</summary>
    None,

    /// <summary>A WaitTo caller that parks does not look for a partner again after publishing itself (a lost wake-up).</summary>
    NoRecheckAfterParking,

    /// <summary>Claiming a waiter reads its state, then writes it: two parties can both win (a double delivery).</summary>
    CheckThenActClaim,

    /// <summary>Dequeuing a parked waiter reads the queue's state, then writes it: entries are lost or taken twice.</summary>
    CheckThenActDequeue,

    /// <summary>Completing the channel skips the first parked waiter it drains (a waiter that never wakes).</summary>
    CompletionForgetsOneWaiter,

    /// <summary>A cancellation that lost the claim still publishes itself (an item both delivered and canceled).</summary>
    CancellationAlsoDelivers,
}
