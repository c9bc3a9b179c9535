namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>How one of our benchmarks moved between two runs, judged on its ratio to the baseline.</summary>
internal enum ChangeVerdict
{
    /// <summary>The ratio moved less than the threshold either way.</summary>
    Same,

    /// <summary>The ratio shrank by more than the threshold (by the factor 1 + threshold), the intervals apart.</summary>
    Faster,

    /// <summary>The ratio grew by more than the threshold and the two runs' confidence intervals do not overlap: a regression.</summary>
    Slower,

    /// <summary>
    /// The ratio moved by more than the threshold, but the two runs' confidence intervals overlap: within what the
    /// measurements can tell apart (noise of a loaded machine, launch to launch), so neither faster nor slower.
    /// </summary>
    Inconclusive,

    /// <summary>Not slower, but allocates more per operation beyond the threshold and 1 byte: a regression.</summary>
    MoreAllocations,

    /// <summary>
    /// The guard's noisy cases: measured and shown, their time never judged (their ratio on this machine is a matter
    /// of scheduling luck); their allocations still are.
    /// </summary>
    Watched,

    /// <summary>Measured in the baseline report only (renamed, removed, failed, or filtered out of the new run).</summary>
    OnlyInBaseline,

    /// <summary>Measured in the new report only (a new benchmark, or not in the baseline run).</summary>
    OnlyInNew,
}
