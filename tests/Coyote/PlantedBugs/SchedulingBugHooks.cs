using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>The deliberately broken variants of the chaining state machine (tests/Coyote/SchedulerModelTests.cs).</summary>
internal enum SchedulingBug
{
    /// <summary>The real machinery: every hook is inert.</summary>
    None,

    /// <summary>The rescuer empties a deferred slot by a look, then a plain write: the owner's take can win too (a double run).</summary>
    StealWithoutCas,

    /// <summary>
    /// The rescuer stops by a look for deferred work, then a plain write of Stopped, without the Stopping state a
    /// chain's first deferral switches back: a chain that defers between the look and the write is never rescued.
    /// </summary>
    StopMissesStartingChain,
}

/// <summary>
/// The bodies of the scheduling layer's <c>#if PLANTED_BUGS</c> hooks, compiled only into this copy of the library.
/// Every hook does nothing (and says so) unless its bug is the active one.
/// </summary>
internal static class SchedulingBugHooks
{
    public static SchedulingBug Active { get; set; }

    /// <summary><see cref="SchedulingBug.StealWithoutCas"/>: true if the bug is on; the slot was then "emptied" by a plain write.</summary>
    public static bool StealByLookThenWrite(ref ITrampolineWorkItem? slot)
    {
        if (Active != SchedulingBug.StealWithoutCas)
        {
            return false;
        }

        Volatile.Write(ref slot, null);
        return true;
    }

    /// <summary><see cref="SchedulingBug.StopMissesStartingChain"/>: true if the bug is on (the broken stop then ran).</summary>
    public static bool StopByLookThenWrite(StalledChainRescuer rescuer)
    {
        if (Active != SchedulingBug.StopMissesStartingChain)
        {
            return false;
        }

        if (!rescuer.AnyHoldsDeferred())
        {
            rescuer.Host.StopTicking();
            Volatile.Write(ref rescuer.StateForPlantedBugs, StalledChainRescuer.Stopped);
        }

        return true;
    }
}
