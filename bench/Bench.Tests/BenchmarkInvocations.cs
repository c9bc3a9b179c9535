// BenchmarkInvocations: runs one benchmark row in process the way a benchmark process does, for workload tests.

using System;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>Runs a benchmark row in process as BenchmarkDotNet does: its setup once, then several invocations on the same channels.</summary>
internal static class BenchmarkInvocations
{
    /// <summary>
    /// <paramref name="setUp"/>, then three invocations of <paramref name="run"/> on the same channels (and selectors),
    /// then <paramref name="cleanUp"/> whatever happened, so that a failing row leaves no open channel behind.
    /// </summary>
    public static void RunThree(Action setUp, Action run, Action cleanUp)
    {
        setUp();
        try
        {
            run();
            run();
            run();
        }
        finally
        {
            cleanUp();
        }
    }
}
