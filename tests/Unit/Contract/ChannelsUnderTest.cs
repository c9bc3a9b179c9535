namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// The rows of the contract theories. The single-threaded scenarios run on each of our channels and on the BCL's
/// bounded channel of the same capacity (capacity 1 is where the ring wraps at every item, 3 where parked writers
/// queue behind a buffer of several items). The stress, race and allocation scenarios run on our channels only:
/// they hunt for races and allocations in our code, and rounds on the reference would only lengthen the run.
/// </summary>
public static class ChannelsUnderTest
{
    /// <summary>Ours and the references, for the single-threaded scenarios.</summary>
    public static IReadOnlyList<ChannelFactory> All { get; } =
    [
        ChannelFactory.Rendezvous,
        ChannelFactory.Bcl(0),
        ChannelFactory.Ring(1),
        ChannelFactory.Bcl(1),
        ChannelFactory.Ring(3),
        ChannelFactory.Bcl(3),
    ];

    /// <summary>Our channels under many threads, with a wide ring too, where many items are in flight at once; and in Chained mode.</summary>
    public static IReadOnlyList<ChannelFactory> Stressed { get; } =
        [ChannelFactory.Rendezvous, ChannelFactory.Ring(1), ChannelFactory.Ring(3), ChannelFactory.Ring(64),
         ChannelFactory.RendezvousChained, ChannelFactory.RingChained(1)];

    /// <summary>Our unbuffered channel and the ring at its tightest, for the round-by-round races, in both modes.</summary>
    public static IReadOnlyList<ChannelFactory> Raced { get; } =
        [ChannelFactory.Rendezvous, ChannelFactory.Ring(1), ChannelFactory.RendezvousChained, ChannelFactory.RingChained(1)];

    /// <summary>Our channels for the allocation budget: the ring tight (every item parks someone) and wide; both modes.</summary>
    public static IReadOnlyList<ChannelFactory> Measured { get; } =
        [ChannelFactory.Rendezvous, ChannelFactory.Ring(1), ChannelFactory.Ring(16), ChannelFactory.RendezvousChained, ChannelFactory.RingChained(1)];

    public static TheoryData<string> AllNames => Names(All);

    public static TheoryData<string> StressedNames => Names(Stressed);

    public static TheoryData<string> RacedNames => Names(Raced);

    public static TheoryData<string> MeasuredNames => Names(Measured);

    /// <summary>The factory behind a row's name (theory data are names, so that every row shows in test results).</summary>
    public static ChannelFactory Named(string name) =>
        All.Concat(Stressed).Concat(Raced).Concat(Measured).First(channel => channel.Name == name);

    private static TheoryData<string> Names(IEnumerable<ChannelFactory> channels)
    {
        var data = new TheoryData<string>();
        foreach (ChannelFactory channel in channels)
        {
            data.Add(channel.Name);
        }

        return data;
    }
}
