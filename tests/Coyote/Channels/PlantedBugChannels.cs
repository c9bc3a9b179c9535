extern alias PlantedBugs;

using System;
using System.Collections.Generic;
using System.Linq;
using BuggyRendezvous = PlantedBugs::Rendezvous.Channels.RendezvousChannel<int>;
using BuggyRingBuffer = PlantedBugs::Rendezvous.Channels.RingBufferChannel<int>;
using PlantedBug = PlantedBugs::Rendezvous.Channels.Parking.PlantedBug;
using PlantedBugSwitch = PlantedBugs::Rendezvous.Channels.Parking.PlantedBugSwitch;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// The channels with the planted bugs compiled in (PlantedBugs/), and the switch that turns one on. The bugs
/// are planted in the machinery both channels share (waiters, waiter queues, the parking lot), so a rendezvous
/// channel and a wrapping ring buffer are enough to show that each one is caught.
/// </summary>
internal static class PlantedBugChannels
{
    public static IReadOnlyList<ChannelUnderTest> All { get; } =
    [
        new("Rendezvous", () => new BuggyRendezvous()),
        new("RingBuffer(2)", () => new BuggyRingBuffer(2)),
    ];

    public static ChannelUnderTest Named(string name) => All.Single(channel => channel.Name == name);



    /// <summary>Turns on the planted bug named <paramref name="bug"/> until the returned scope is disposed.</summary>
    public static IDisposable Activate(string bug)
    {
        PlantedBugSwitch.Active = Enum.Parse<PlantedBug>(bug);
        return new Deactivation();
    }

    private sealed class Deactivation : IDisposable
    {
        public void Dispose() => PlantedBugSwitch.Active = PlantedBug.None;
    }
}
