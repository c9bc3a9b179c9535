using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace RendezvousChannel.Internal;

/// <summary>
/// Head and tail 128 bytes apart, with 128 bytes before and after: they never share a cache line nor an
/// adjacent-line prefetch pair, with each other or with the fields around them (crossbeam's CachePadded
/// width on x86-64). This is the layout the ring channel uses.
/// </summary>
/// <remarks>
/// Measured with the bench padding experiment (`dotnet run -c Release --project bench -- compare --filter *Padding*`),
/// 1 producer and 1 consumer thread through a 1024-slot ring, on this project's 2-core CI machine; the numbers
/// and the choice are recorded in README's benchmark table.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 3 * 128)]
internal struct PaddedIndices128 : IRingIndices
{
    [FieldOffset(128)]
    private long _head;

    [FieldOffset(256)]
    private long _tail;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Head => ref _head;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Tail => ref _tail;
}
