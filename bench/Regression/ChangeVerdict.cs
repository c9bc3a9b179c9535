namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>How one of our benchmarks moved between two runs, judged on its ratio to the baseline.</summary>
internal enum ChangeVerdict
{
    /// <summary>The ratio moved less than the threshold either way.</summary>
    Same,

    /// <summary>The ratio shrank by more than the threshold (by the factor 1 + threshold).</summary>
    Faster,

    /// <summary>The ratio grew by more than the threshold: a regression.</summary>
    Slower,

    /// <summary>Not slower, but allocates more per operation beyond the threshold and 1 byte: a regression.</summary>
    MoreAllocations,

    /// <summary>Measured in the baseline report only (renamed, removed, failed, or filtered out of the new run).</summary>
    OnlyInBaseline,

    /// <summary>Measured in the new report only (a new benchmark, or not in the baseline run).</summary>
    OnlyInNew,
}
