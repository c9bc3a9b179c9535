using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Rounds;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// What one guard run measured of one <see cref="GuardCase"/>: nanoseconds per operation of ours and of the BCL in
/// each round (the two sides back to back, so each round's ratio compares them under the same machine conditions),
/// and our bytes allocated per operation. Serialized as is into a guard report.
/// </summary>
/// <param name="Case">The case's name, <see cref="GuardCase.Name"/>.</param>
/// <param name="Ours">Our nanoseconds per operation, one per round.</param>
/// <param name="Bcl">The BCL's nanoseconds per operation, one per round, in the same order.</param>
internal sealed record CaseSample(string Case, int OperationsPerRound, double BytesPerOperation, IReadOnlyList<double> Ours, IReadOnlyList<double> Bcl)
{
    /// <summary>Ours / BCL within each round.</summary>
    public IReadOnlyList<double> Ratios() => [.. Ours.Zip(Bcl, (ours, bcl) => ours / bcl)];

    /// <summary>The median of the per-round ratios.</summary>
    public double MedianRatio() => RoundsResult.Median(Ratios());
}
