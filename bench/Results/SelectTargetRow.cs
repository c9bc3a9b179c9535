using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>One of our select rows of a <see cref="SelectSuite"/> case, with its ratios to the case's reference rows.</summary>
/// <param name="Select">The select row (ChannelSelector or ReadAnySelector).</param>
/// <param name="TimesPlainReadAsync">Its time over the plain ReadAsync row's, same case, same run.</param>
/// <param name="TimesWorkaround">Its time over the baseline's (the Task.WhenAny workaround), same case, same run.</param>
/// <param name="IsJudged">Whether the targets apply: a case with <see cref="SelectTargets.TargetClauses"/> clauses.</param>
/// <param name="TimesSameProducers">
/// Its time over the plain ReadAsync row fed by as many producers as it selects over (same case, same run), or null if
/// the run lacks that row. Shown, never judged: it separates the select's own cost from the cores' oversubscription.
/// </param>
/// <param name="TimesRoundRobin">
/// Its time over the round-robin ReadAsync row (the same channels, producers and Mode, no select; same case, same run),
/// or null if the run lacks that row. Shown, never judged: the select's own cost over the same workload.
/// </param>
internal sealed record SelectTargetRow(MeasuredBenchmark Select, double TimesPlainReadAsync, double TimesWorkaround, bool IsJudged, double? TimesSameProducers = null, double? TimesRoundRobin = null)
{
    public bool MeetsPlainReadAsyncTarget => TimesPlainReadAsync <= SelectTargets.MaxTimesPlainReadAsync;

    public bool MeetsWorkaroundTarget => TimesWorkaround <= SelectTargets.MaxTimesWorkaround;

    /// <summary>Null when the run did not measure allocations.</summary>
    public bool? MeetsAllocationTarget => Select.BytesPerOperation is double bytes ? bytes < SelectTargets.MaxBytesPerItem : null;
}
