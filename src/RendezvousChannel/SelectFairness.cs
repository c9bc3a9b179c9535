// SelectFairness: which ready clause a select takes when several are ready at once.

namespace Rendezvous.Channels;

/// <summary>Which clause a <see cref="ChannelSelector"/> takes when more than one is ready at once.</summary>
public enum SelectFairness
{
    /// <summary>
    /// The default: clauses are tried from a pseudo-random starting clause each time (as Go's <c>select</c> and
    /// crossbeam's <c>Select</c> do), so no clause that is always ready starves another that is always ready.
    /// </summary>
    Random = 0,

    /// <summary>Clauses are tried in the order they were added: the first ready clause wins (a priority select).</summary>
    Biased = 1,
}
