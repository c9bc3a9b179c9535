using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Coyote;
using Microsoft.Coyote.SystematicTesting;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>Runs Coyote's testing engine over one scenario and reports what it found.</summary>
internal static class SystematicTest
{
    /// <summary>
    /// Explores <paramref name="scenario"/> for <paramref name="iterations"/> iterations (stopping at the first
    /// bug), or replays the trace named by COYOTE_REPLAY if it is this test's (else does not run). Everything
    /// Coyote logs goes to <paramref name="output"/>, and so does a summary with the seed and any bug's trace.
    /// </summary>
    public static SystematicTestResult Run(string name, Func<Task> scenario, uint iterations, uint seed, ITestOutputHelper output)
    {
        RewritingGuard.AssertEverythingUnderTestIsRewritten();
        Configuration configuration = CoyoteSettings.Create(iterations, seed);
        if (CoyoteSettings.ReplayTracePath is string tracePath)
        {
            if (!TraceFiles.BelongsTo(tracePath, name))
            {
                SystematicTestResult skipped = SystematicTestResult.NotRun(name);
                output.WriteLine(skipped.Describe());
                return skipped;
            }

            output.WriteLine($"[{name}] replaying {tracePath}");
            configuration = configuration.WithReproducibleTrace(File.ReadAllText(tracePath));
        }

        using var log = new TestOutputLogger(output);
        using TestingEngine engine = TestingEngine.Create(configuration, scenario);
        engine.SetLogger(log);
        uint currentIteration = 0;
        // Iterations are numbered from 0; the one running when the engine stops is the one that found the bug.
        engine.RegisterStartIterationCallBack(iteration => currentIteration = iteration + 1);
        Stopwatch clock = Stopwatch.StartNew();
        (int TeardownNoise, IReadOnlyList<Exception> Unexpected) trapped;
        using (TeardownExceptionTrap.Arm())
        {
            engine.Run();
            clock.Stop();
            trapped = TeardownExceptionTrap.Collect();
        }

        TestReport report = engine.TestReport;
        string? bug = report.BugReports.FirstOrDefault();
        foreach (string invocation in report.UncontrolledInvocations)
        {
            bug ??= $"uncontrolled invocation of {invocation}";
        }

        foreach (Exception exception in trapped.Unexpected)
        {
            bug ??= $"unhandled exception outside Coyote's control: {exception}";
        }

        SystematicTestResult result = new(
            name,
            WasRun: true,
            IterationsRun: (uint)(report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths),
            Seed: seed,
            Elapsed: clock.Elapsed,
            Bug: bug,
            BugIteration: bug is null ? null : (uint?)currentIteration,
            TracePath: bug is null ? null : TraceFiles.Save(name, engine.ReproducibleTrace),
            TeardownExceptions: trapped.TeardownNoise,
            PathsGivenAFairSuffix: report.MaxUnfairStepsHitInFairTests,
            ReportText: report.GetText(configuration, "  "));
        output.WriteLine(result.Describe());
        return result;
    }
}
