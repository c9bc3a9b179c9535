using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The ways the select scenarios use a selector, each recording what it did in lists of its own (read only
/// after it has finished), as <see cref="Participants"/> does for plain readers and writers.
/// </summary>
internal static class SelectParticipants
{
    /// <summary>One select: the non-blocking one first, then, if no clause was ready, the waiting one.</summary>
    public static async ValueTask<SelectOutcome> SelectOnceAsync(ISelector selector, CancellationToken cancellationToken = default) =>
        selector.TrySelect(out SelectOutcome ready) ? ready : await selector.SelectAsync(cancellationToken);

    /// <summary>
    /// Selects until every one of the <paramref name="clauses"/> clauses found its channel closed (disabling each
    /// closed one, as Go code sets a closed channel's variable to nil), or <paramref name="maxSelects"/> selects
    /// ended; records every outcome.
    /// </summary>
    public static async Task SelectUntilClosedAsync(ISelector selector, int clauses, int maxSelects, List<SelectOutcome> outcomes)
    {
        for (int open = clauses; open > 0 && outcomes.Count < maxSelects;)
        {
            SelectOutcome outcome = await SelectOnceAsync(selector);
            outcomes.Add(outcome);
            if (outcome.IsClosed)
            {
                selector.Disable(outcome.Clause);
                open--;
            }
        }
    }

    /// <summary>Takes whatever a buffer still holds (nothing, for a rendezvous channel).</summary>
    public static List<int> Drain(ChannelReader<int> reader)
    {
        List<int> left = [];
        while (reader.TryRead(out int item))
        {
            left.Add(item);
        }

        return left;
    }
}
