// ForcedCollections: full garbage collections for the tests that wait for an abandoned channel to be collected.

using System;
using System.Threading;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Full, blocking collections with finalizers run in between, for tests that wait for an unreachable channel to be
/// collected (and reported). They wait for the occurrence, not for a duration: a channel that really is unreachable
/// goes at the first full collection unless another thread still holds the last reference for a moment (a pool
/// worker between two work items, a watchdog's look), so after a burst of back-to-back rounds the later ones leave
/// other threads a little time.
/// </summary>
internal static class ForcedCollections
{
    private const int BackToBackRounds = 10;
    private const int SpacedRounds = 40;
    private static readonly TimeSpan s_spacing = TimeSpan.FromMilliseconds(25);

    /// <summary>One full collection, the finalizers it queued, and another collection for what they released.</summary>
    public static void Full()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Full collections until <paramref name="done"/> holds (true), or gives up after about a second of spaced rounds (false).</summary>
    public static bool Until(Func<bool> done)
    {
        for (int round = 0; round < BackToBackRounds + SpacedRounds; round++)
        {
            if (round >= BackToBackRounds)
            {
                Thread.Sleep(s_spacing);
            }

            Full();
            if (done())
            {
                return true;
            }
        }

        return false;
    }
}
