using System;
using System.Globalization;
using System.Text;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>
/// What one Coyote exploration of one scenario found, and the verdicts the tests draw from it. A result that
/// was not run (COYOTE_REPLAY names another test's trace) passes every verdict, so that a replay session
/// runs just the test whose failure it replays.
/// </summary>
internal sealed record SystematicTestResult(
    string Name,
    bool WasRun,
    uint IterationsRun,
    uint Seed,
    TimeSpan Elapsed,
    string? Bug,
    uint? BugIteration,
    string? TracePath,
    int TeardownExceptions,
    int PathsGivenAFairSuffix,
    string ReportText)
{
    public bool FoundBug => Bug is not null;

    /// <summary>
    /// A bug that says the test itself is broken rather than the code under test: Coyote met concurrency it
    /// does not control, so what it explored is not what runs. Such a result proves nothing either way.
    /// </summary>
    public bool IsHarnessFailure =>
        Bug is not null &&
        (Bug.Contains("not intercepted", StringComparison.Ordinal) ||
         Bug.Contains("uncontrolled", StringComparison.OrdinalIgnoreCase) ||
         Bug.Contains("Potential deadlock", StringComparison.Ordinal));

    public static SystematicTestResult NotRun(string name) =>
        new(name, WasRun: false, 0, 0, TimeSpan.Zero, null, null, null, 0, 0, string.Empty);

    /// <summary>The real channels: the exploration must find nothing.</summary>
    public void AssertNoBugFound()
    {
        Assert.False(FoundBug, Describe());
    }

    /// <summary>A planted bug: it must be caught, and by the scenario, not by a failure of the harness.</summary>
    public void AssertCaught(string plantedBug)
    {
        if (!WasRun)
        {
            return;
        }

        Assert.True(FoundBug, $"The planted bug {plantedBug} survived {IterationsRun} iterations of [{Name}].");
        Assert.False(IsHarnessFailure, $"Coyote failed on the test itself, not on the planted bug: {Bug}");
    }

    /// <summary>The seed story: Coyote must report a reader that waits forever as a deadlock, for certain.</summary>
    public void AssertDeadlockReported()
    {
        if (!WasRun)
        {
            return;
        }

        Assert.True(FoundBug, "Coyote did not notice a reader waiting forever.");
        Assert.Contains("deadlock", Bug, StringComparison.OrdinalIgnoreCase);
        Assert.False(IsHarnessFailure, $"Coyote could only guess at a deadlock: {Bug}");
    }

    public string Describe()
    {
        if (!WasRun)
        {
            return $"[{Name}] not run: {CoyoteSettings.ReplayVariable} replays another test's trace.";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[{Name}] {IterationsRun} iterations, seed {Seed}, {Elapsed.TotalSeconds:F1} s");
        if (PathsGivenAFairSuffix > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {PathsGivenAFairSuffix} spun past the unfair step bound (finished fairly)");
        }

        if (TeardownExceptions > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {TeardownExceptions} exceptions of Coyote's teardown trapped");
        }

        text.AppendLine();
        if (Bug is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"[{Name}] BUG found at iteration {BugIteration}: {Bug}");
            text.AppendLine(CultureInfo.InvariantCulture, $"[{Name}] reproducible trace: {TracePath}");
            text.AppendLine(CultureInfo.InvariantCulture, $"[{Name}] replay it: {CoyoteSettings.ReplayVariable}={TracePath} dotnet test tests/Coyote -c Release");
        }

        text.Append(ReportText);
        return text.ToString();
    }
}
