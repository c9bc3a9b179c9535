using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using Microsoft.Coyote.Rewriting;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>
/// Keeps the test host alive through Coyote's teardown of an iteration. When Coyote ends an iteration (a bug
/// found, the step bound reached, the test's own task done while others still stand at a scheduling point)
/// it unwinds each paused task by throwing from the scheduling point where that task stands. A task paused
/// inside a waiter's <c>OnCompleted</c> (which holds scheduling points: its reads and CAS, and the task the
/// COYOTE hook starts) is inside the BCL's await machinery, which catches that exception and rethrows it on
/// a thread-pool thread, where it would end the process, sometimes after the exploration has returned. This
/// trap swallows those, always; any other unhandled exception is recorded while an exploration runs (and
/// fails its test) and, outside one, left to end the process as usual.
/// </summary>
[SkipRewriting("Runs on thread-pool threads that Coyote does not control, during Coyote's own teardown.")]
internal static class TeardownExceptionTrap
{
    private static readonly object s_gate = new();
    private static readonly List<Exception> s_unexpected = [];
    private static int s_teardownNoise;
    private static bool s_installed;
    private static bool s_armed;

    /// <summary>Records unhandled exceptions until the returned scope is disposed (and installs the trap, once).</summary>
    public static IDisposable Arm()
    {
        lock (s_gate)
        {
            if (!s_installed)
            {
                ExceptionHandling.SetUnhandledExceptionHandler(Trap);
                s_installed = true;
            }

            s_unexpected.Clear();
            s_teardownNoise = 0;
            s_armed = true;
        }

        return new Disarm();
    }

    /// <summary>What was trapped since <see cref="Arm"/>: how much of Coyote's teardown noise, and everything else.</summary>
    public static (int TeardownNoise, IReadOnlyList<Exception> Unexpected) Collect()
    {
        lock (s_gate)
        {
            return (s_teardownNoise, [.. s_unexpected]);
        }
    }

    /// <summary>
    /// Coyote unwinds with ThreadInterruptedException. When the task it unwinds was inside Task.Run (the COYOTE
    /// hook starting a continuation), Task.ScheduleAndStart catches it and, finishing a task that Coyote had
    /// already run, trips over that task's completed state: an InvalidCastException, thrown from there.
    /// </summary>
    private static bool IsCoyoteTeardown(Exception exception) =>
        exception is ThreadInterruptedException ||
        (exception.StackTrace is string stack &&
         (stack.Contains("Microsoft.Coyote.", StringComparison.Ordinal) ||
          stack.Contains("System.Threading.Tasks.Task.ScheduleAndStart", StringComparison.Ordinal)));

    private static bool Trap(Exception exception)
    {
        lock (s_gate)
        {
            if (IsCoyoteTeardown(exception))
            {
                s_teardownNoise += s_armed ? 1 : 0;
                return true;
            }

            if (!s_armed)
            {
                return false;
            }

            s_unexpected.Add(exception);
            return true;
        }
    }

    private sealed class Disarm : IDisposable
    {
        public void Dispose()
        {
            lock (s_gate)
            {
                s_armed = false;
            }
        }
    }
}
