// SelectState: the packed, versioned state word of one ChannelSelector, whose single CAS decides a select.

using System.Diagnostics;

namespace Rendezvous.Channels.Selection;

/// <summary>What a select's state word says about its current use (see <see cref="SelectState"/>).</summary>
internal enum SelectStatus
{
    /// <summary>Its clauses' entries of this version are parked and claimable: a partner, a ring's wake-up, the completion or the cancellation may claim it.</summary>
    Waiting = 0,

    /// <summary>
    /// The selecting side decides for itself (its non-blocking pass, or a restart): every parked entry is dead to
    /// partners. Entered at the start of a use, by the select's own CAS from <see cref="Waiting"/>, or by a ring's
    /// signal (the restart then runs where the signal scheduled it).
    /// </summary>
    Busy = 1,

    /// <summary>A clause won (the index and whether its channel was closed are in the word): final for this version.</summary>
    Won = 2,

    /// <summary>The select's cancellation token claimed it: final for this version.</summary>
    Canceled = 3,
}

/// <summary>
/// The state word of a selector: <c>(version &lt;&lt; 16) | (clause index &lt;&lt; 3) | (closed &lt;&lt; 2) | status</c>.
/// Every parked entry names the version it was parked for; a claim is one CAS from <c>Waiting(version)</c>, so an entry
/// of an older use (a stale entry) can never claim a later one, exactly as a <see cref="Parking.Waiter{T}"/>'s
/// versioned state word protects a recycled waiter. The version has 48 bits: a selector would have to restart or select
/// 2^48 times while a stale entry waits in some idle queue for it to wrap.
/// </summary>
internal static class SelectState
{
    /// <summary>The most clauses a selector may have (the index field's width).</summary>
    public const int MaxClauses = 1 << 13;

    private const int StatusBits = 2;
    private const long StatusMask = (1 << StatusBits) - 1;
    private const long ClosedBit = 1 << StatusBits;
    private const int IndexShift = 3;
    private const int VersionShift = 16;

    public static long Waiting(long version) => version << VersionShift;

    public static long Busy(long version) => (version << VersionShift) | (long)SelectStatus.Busy;

    public static long Canceled(long version) => (version << VersionShift) | (long)SelectStatus.Canceled;

    public static long Won(long version, int index, bool closed)
    {
        Debug.Assert((uint)index < MaxClauses, "The index fits its field.");
        return (version << VersionShift) | ((long)index << IndexShift) | (closed ? ClosedBit : 0) | (long)SelectStatus.Won;
    }

    public static long Version(long state) => state >>> VersionShift;

    public static SelectStatus Status(long state) => (SelectStatus)(state & StatusMask);

    public static int Index(long state) => (int)((state >> IndexShift) & (MaxClauses - 1));

    public static bool IsClosed(long state) => (state & ClosedBit) != 0;

    public static string Describe(long state) => Status(state) switch
    {
        SelectStatus.Won => $"Won(v{Version(state)}, clause {Index(state)}{(IsClosed(state) ? ", closed" : string.Empty)})",
        SelectStatus s => $"{s}(v{Version(state)})",
    };
}
