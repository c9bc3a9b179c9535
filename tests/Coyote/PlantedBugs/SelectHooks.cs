using System.Threading;

namespace Rendezvous.Channels.Selection;

/// <summary>The deliberately broken variants of the select machinery (src/RendezvousChannel/Selection/SelectCore.cs).</summary>
internal enum SelectBug
{
    /// <summary>The real machinery: every hook is inert.</summary>
    None,

    /// <summary>
    /// The non-blocking pass keeps trying clauses after one took effect: a losing clause consumes an item (or hands
    /// its item over) that the select then drops.
    /// </summary>
    LosingClauseConsumes,

    /// <summary>
    /// A select is claimed by a look at its state word, then a plain write, where the real claim is one CAS: two
    /// partners (or a partner and the cancellation, or the select itself) can both win one use.
    /// </summary>
    ClaimWithoutCas,
}

/// <summary>
/// The bodies of the select layer's <c>#if PLANTED_BUGS</c> hooks, compiled only into this copy of the library.
/// Every hook does nothing (and says so) unless its bug is the active one. Off by default.
/// </summary>
internal static class SelectHooks
{
    public static SelectBug Active { get; set; }

    /// <summary><see cref="SelectBug.LosingClauseConsumes"/>: true if the pass must go on after a clause won.</summary>
    public static bool KeepTryingAfterWin => Active == SelectBug.LosingClauseConsumes;

    /// <summary>
    /// <see cref="SelectBug.ClaimWithoutCas"/>: claims the select by a look, then a plain write. True if the bug is
    /// on; then <paramref name="won"/> is the broken claim's answer.
    /// </summary>
    public static bool ClaimSelectByLookThenWrite(ref long state, long waiting, long claimed, out bool won)
    {
        won = false;
        if (Active != SelectBug.ClaimWithoutCas)
        {
            return false;
        }

        if (Volatile.Read(ref state) == waiting)
        {
            Volatile.Write(ref state, claimed);
            won = true;
        }

        return true;
    }
}
