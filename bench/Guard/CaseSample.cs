using System;
using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Rounds;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// What one guard run measured of one <see cref="GuardCase"/>: nanoseconds per operation of ours and of the BCL in
/// each round (the two sides back to back, so each round's ratio compares them under the same machine conditions),
/// launch after launch, and our bytes allocated per operation. Serialized as is into a guard report.
/// </summary>
/// <param name="Case">The case's name, <see cref="GuardCase.Name"/>.</param>
/// <param name="RoundsPerLaunch">How many consecutive rounds came from one process; the rounds of a run are its launches' rounds in order.</param>
/// <param name="Ours">Our nanoseconds per operation, one per round.</param>
/// <param name="Bcl">The BCL's nanoseconds per operation, one per round, in the same order.</param>
internal sealed record CaseSample(
    string Case, int OperationsPerRound, int RoundsPerLaunch, double BytesPerOperation, IReadOnlyList<double> Ours, IReadOnlyList<double> Bcl)
{
    /// <summary>Ours / BCL within each round.</summary>
    public IReadOnlyList<double> Ratios() => [.. Ours.Zip(Bcl, (ours, bcl) => ours / bcl)];

    /// <summary>
    /// Each launch's median per-round ratio, as a logarithm: the unit the guard compares, since launches differ from
    /// each other more than the rounds of one launch do (see <see cref="GuardRule"/>). A median, so a few disturbed
    /// rounds do not move it.
    /// </summary>
    public IReadOnlyList<double> LaunchLogMedians()
    {
        IReadOnlyList<double> ratios = Ratios();
        return [.. ratios.Chunk(Math.Max(1, RoundsPerLaunch)).Select(launch => Math.Log(RoundsResult.Median(launch)))];
    }

    /// <summary>The geometric mean of the launches' median ratios: the run's figure for this case.</summary>
    public double TypicalRatio() => Math.Exp(LaunchLogMedians().Average());
}
