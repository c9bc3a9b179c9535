using System.Diagnostics.CodeAnalysis;

namespace Rendezvous.Channels.Ring;

/// <summary>
/// Where a <see cref="BoundedItemRing{T, TIndices}"/> keeps its receive (head) and send (tail) indices. A
/// struct type parameter, so the JIT specializes the ring for each layout at no cost, and the benchmark can
/// measure the layouts side by side (see <see cref="PaddedIndices128"/>).
/// </summary>
internal interface IRingIndices
{
    /// <summary>The next position to receive from; advanced only by CAS.</summary>
    [UnscopedRef]
    ref long Head { get; }

    /// <summary>The next position to send to (plus the ring's closed mark); advanced only by CAS.</summary>
    [UnscopedRef]
    ref long Tail { get; }
}
