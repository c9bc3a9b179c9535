using System;
using System.Globalization;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>
/// The one place where the systematic tests' budget is set: iterations per scenario come from
/// <c>COYOTE_ITERATIONS</c> (default <see cref="DefaultIterations"/>, sized so that the whole suite stays
/// within a few minutes on a 2-core CI machine), the exploration seed from <c>COYOTE_SEED</c>, and a trace to
/// replay instead of exploring from <c>COYOTE_REPLAY</c>.
/// </summary>
internal static class CoyoteSettings
{
    public const string IterationsVariable = "COYOTE_ITERATIONS";
    public const string SeedVariable = "COYOTE_SEED";
    public const string ReplayVariable = "COYOTE_REPLAY";

    /// <summary>The CI budget per scenario; raise it with COYOTE_ITERATIONS for a long run (e.g. 100000 before a release).</summary>
    public const uint DefaultIterations = 2000;

    /// <summary>
    /// The planted-bug tests' fixed seed, so that the iteration at which each bug is caught is the same on every
    /// run and a regression in the scenarios' power shows up as a number that moved.
    /// </summary>
    public const uint PlantedBugSeed = 20261127;

    /// <summary>
    /// Scheduling steps an iteration may take under the strategy's own (unfair, biased) schedule before Coyote
    /// continues it with a fair, random one; 10 times as many end it. A scenario takes a few hundred steps. What
    /// runs past this is a spin loop (a dequeuer waiting for an enqueuer's stamp) whose partner a biased
    /// schedule keeps starving: the fair suffix lets the partner run, so the spin ends at once. An iteration
    /// still spinning at the final bound is a livelock, and reported as a bug.
    /// </summary>
    public const uint MaxUnfairSchedulingSteps = 1500;

    public static uint Iterations => ReadUInt32(IterationsVariable) ?? DefaultIterations;

    /// <summary>
    /// The select scenarios' budget per scenario and channel pair (SelectTests): half the budget, so that they
    /// add about two minutes to the suite on a loaded 2-core machine. Each select scenario runs several
    /// parties over two channels, so an iteration is longer than a single channel's. COYOTE_ITERATIONS scales it.
    /// </summary>
    public static uint SelectIterations => Math.Max(1, Iterations / 2);

    /// <summary>For checks that only need a glimpse (the planted-bug hooks are inert when off): a tenth of the budget.</summary>
    public static uint SanityCheckIterations => Math.Max(1, Iterations / 10);

    /// <summary>The seed asked for with COYOTE_SEED, else a fresh one, so that runs explore different schedules (it is printed with the results).</summary>
    public static uint SeedOrRandom => ReadUInt32(SeedVariable) ?? (uint)Random.Shared.NextInt64(uint.MaxValue);

    /// <summary>The seed asked for with COYOTE_SEED, else <paramref name="fixedSeed"/>.</summary>
    public static uint SeedOr(uint fixedSeed) => ReadUInt32(SeedVariable) ?? fixedSeed;

    public static string? ReplayTracePath => Environment.GetEnvironmentVariable(ReplayVariable) is { Length: > 0 } path ? path : null;

    /// <summary>
    /// The configuration every systematic test uses: strict (uncontrolled concurrency is a failure, not
    /// something to work around), with every Interlocked and Volatile operation a scheduling point, since
    /// that is where lock-free code races (but not collection accesses: the scenarios give each task lists of
    /// its own, so those would only multiply schedules), and without telemetry or console output.
    /// </summary>
    public static Configuration Create(uint iterations, uint seed) =>
        Configuration.Create()
            .WithTestingIterations(iterations)
            .WithMaxSchedulingSteps(MaxUnfairSchedulingSteps)
            .WithFailureOnMaxStepsBoundEnabled(true)
            .WithPartiallyControlledConcurrencyAllowed(false)
            .WithAtomicOperationRaceCheckingEnabled(true)
            .WithVolatileOperationRaceCheckingEnabled(true)
            .WithCollectionAccessRaceCheckingEnabled(false)
            .WithTelemetryEnabled(false)
            .WithConsoleLoggingEnabled(false)
            .WithVerbosityEnabled(VerbosityLevel.Warning)
            .WithRandomGeneratorSeed(seed);

    private static uint? ReadUInt32(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
            ? uint.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
}
