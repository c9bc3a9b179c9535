using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Rendezvous.Channels.Ring;

/// <summary>
/// Head and tail on their own 64-byte cache lines (the width of .NET's PaddedHeadAndTail), but possibly in
/// one adjacent-line prefetch pair. Kept for the benchmark's padding experiment.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * 64)]
internal struct PaddedIndices64 : IRingIndices
{
    [FieldOffset(64)]
    private long _head;

    [FieldOffset(128)]
    private long _tail;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Head => ref _head;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Tail => ref _tail;
}
