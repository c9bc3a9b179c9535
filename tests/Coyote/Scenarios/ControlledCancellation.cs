using System.Threading;
using Microsoft.Coyote.Runtime;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>Cancels a token from a controlled task, in a way Coyote can explore without hanging itself.</summary>
internal static class ControlledCancellation
{
    /// <summary>
    /// Runs <paramref name="source"/>'s cancellation callbacks without interleaving inside them. Why: a waiter
    /// that a callback has just completed recycles itself, and recycling disposes its registration, which
    /// (inside the BCL, out of Coyote's sight) spins until that callback has returned. Were Coyote to pause
    /// the callback at one of its scheduling points and run the woken awaiter, the awaiter would spin forever
    /// on a callback that only Coyote could resume: a hang of the test, not of the channel. The callback still
    /// races everything else at every point of the schedule; and a cancellation requested before the waiter
    /// registers runs its callback inline in the registering operation, where Coyote does interleave it.
    /// </summary>
    public static void Cancel(CancellationTokenSource source)
    {
        SchedulingPoint.Suppress();
        try
        {
            source.Cancel();
        }
        finally
        {
            SchedulingPoint.Resume();
        }
    }
}
