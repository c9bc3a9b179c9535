namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The two channels a select scenario runs on, A and B, by capacity: 0 is a rendezvous channel, n a ring buffer of
/// capacity n. A is always a rendezvous channel (the hand-off between parked parties is where a select races most);
/// B is a second rendezvous channel or a ring buffer of one slot, where a write clause is ready at once.
/// </summary>
internal sealed record SelectChannels(string Name, int CapacityA, int CapacityB)
{
    public static SelectChannels TwoRendezvous { get; } = new("Rendezvous+Rendezvous", 0, 0);

    public static SelectChannels RendezvousAndRing { get; } = new("Rendezvous+RingBuffer(1)", 0, 1);

    public static SelectChannels[] Both { get; } = [TwoRendezvous, RendezvousAndRing];

    public override string ToString() => Name;
}
