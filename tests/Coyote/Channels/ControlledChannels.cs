extern alias Controlled;

using System.Collections.Generic;
using System.Linq;
using ControlledRendezvous = Controlled::Rendezvous.Channels.RendezvousChannel<int>;
using ControlledRingBuffer = Controlled::Rendezvous.Channels.RingBufferChannel<int>;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>The real channels (ControlledLibrary/: the shipped sources plus the COYOTE scheduling hook).</summary>
internal static class ControlledChannels
{
    /// <summary>Ring buffers of capacity 1 and 2 wrap around within a few items, where index arithmetic goes wrong.</summary>
    public static IReadOnlyList<ChannelUnderTest> All { get; } =
    [
        new("Rendezvous", () => new ControlledRendezvous()),
        new("RingBuffer(1)", () => new ControlledRingBuffer(1)),
        new("RingBuffer(2)", () => new ControlledRingBuffer(2)),
    ];

    public static ChannelUnderTest Named(string name) => All.Single(channel => channel.Name == name);
}
