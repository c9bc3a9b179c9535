using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// A <c>ChannelSelector</c> of one copy of the library, seen through <see cref="int"/> items and clause numbers, so
/// that one select scenario runs on the real copy and on the planted-bug copy (each copy's types are distinct).
/// Clauses are numbered from 0 in the order the scenario adds them, whatever order the selector holds them in.
/// </summary>
internal interface ISelector
{
    /// <summary>Adds a read clause; returns its number.</summary>
    int AddRead(ChannelReader<int> reader);

    /// <summary>Adds a write clause offering <paramref name="item"/>; returns its number.</summary>
    int AddWrite(ChannelWriter<int> writer, int item);

    /// <summary>Sets the item that write clause <paramref name="clause"/> offers from the next select on.</summary>
    void Offer(int clause, int item);

    /// <summary>Leaves clause <paramref name="clause"/> out of the next selects (a closed channel, say).</summary>
    void Disable(int clause);

    /// <summary>The non-blocking select.</summary>
    bool TrySelect(out SelectOutcome outcome);

    /// <summary>The waiting select.</summary>
    ValueTask<SelectOutcome> SelectAsync(CancellationToken cancellationToken = default);
}
