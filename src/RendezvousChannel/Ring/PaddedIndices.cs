// PaddedIndices: the ring's head and tail, each on cache lines of its own (as ConcurrentQueueSegment's PaddedHeadAndTail).

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rendezvous.Channels.Ring;

/// <summary>
/// The head and tail of a <see cref="BoundedItemRing{T}"/>, 128 bytes apart with 128 bytes before and after:
/// they never share a cache line nor an adjacent-line prefetch pair, with each other or with the fields around
/// them (crossbeam's CachePadded width on x86-64; ConcurrentQueueSegment's PaddedHeadAndTail pads the same way).
/// </summary>
/// <remarks>
/// Producers CAS the tail and consumers the head; were the two on one line, every hand-off would bounce that line
/// between their cores. 128 rather than 64 bytes: never slower in the padding experiment, and immune to
/// adjacent-line prefetching (its figures are in bench/README.md).
/// </remarks>
[DebuggerDisplay("Head = {Head}, Tail = {Tail}")]
[StructLayout(LayoutKind.Explicit, Size = 3 * 128)]
internal struct PaddedIndices
{
    /// <summary>The next position to dequeue from; advanced only by CAS.</summary>
    [FieldOffset(128)]
    public long Head;

    /// <summary>The next position to enqueue at, plus the ring's closed mark; advanced only by CAS (marked by an atomic OR).</summary>
    [FieldOffset(256)]
    public long Tail;
}
