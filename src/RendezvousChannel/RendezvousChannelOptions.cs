// RendezvousChannelOptions: how to create a RendezvousChannel<T>.

using System.Diagnostics;

namespace Rendezvous.Channels;

/// <summary>Options for <see cref="RendezvousChannel{T}"/>: see <see cref="HandOffChannelOptions"/>.</summary>
[DebuggerDisplay("ContinuationMode = {ContinuationMode}")]
public sealed class RendezvousChannelOptions : HandOffChannelOptions
{
}
