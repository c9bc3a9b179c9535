using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Rendezvous.Channels.Ring;

/// <summary>Head and tail side by side, sharing a cache line: the control row of the padding experiment.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct UnpaddedIndices : IRingIndices
{
    private long _head;
    private long _tail;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Head => ref _head;

    /// <inheritdoc/>
    [UnscopedRef]
    public ref long Tail => ref _tail;
}
