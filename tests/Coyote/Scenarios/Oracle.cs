using System.Collections.Generic;
using System.Linq;
using Microsoft.Coyote.Specifications;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>The checks scenarios make on their outcome; a failed check is a bug that Coyote reports with its trace.</summary>
internal static class Oracle
{
    public static void Holds(bool condition, string failure) => Specification.Assert(condition, failure);

    /// <summary>
    /// Nothing accepted is lost and nothing is delivered that was not accepted, or twice: the items read, as a
    /// multiset, are exactly the items whose writes succeeded.
    /// </summary>
    public static void DeliveredExactlyTheAccepted(IEnumerable<int> delivered, IEnumerable<int> accepted)
    {
        int[] read = [.. delivered.Order()];
        int[] written = [.. accepted.Order()];
        Holds(
            read.SequenceEqual(written),
            $"Delivered items [{string.Join(", ", read)}] differ from accepted writes [{string.Join(", ", written)}].");
    }
}
