namespace Rendezvous.Channels.Tests.Unit.Contract;

/// <summary>
/// The rows of the contract theories. Every scenario runs on each of our channels and on the BCL's bounded channel
/// of the same capacity; capacity 1 is where the ring wraps at every item, 3 where parked writers queue behind a
/// buffer of several items. The stress scenarios run on our channels only: they hunt for races in our code, and
/// rounds on the reference would only lengthen the run.
/// </summary>
public static class ChannelsUnderTest
{
    public static IReadOnlyList<ChannelFactory> All { get; } =
    [
        ChannelFactory.Rendezvous,
        ChannelFactory.Bcl(0),
        ChannelFactory.Ring(1),
        ChannelFactory.Bcl(1),
        ChannelFactory.Ring(3),
        ChannelFactory.Bcl(3),
    ];

    public static IReadOnlyList<ChannelFactory> Ours { get; } = All.Where(channel => !channel.IsReference).ToArray();

    /// <summary>Our channels under many threads: a wide ring too, where many items are in flight at once.</summary>
    public static IReadOnlyList<ChannelFactory> Stressed { get; } = [.. Ours, ChannelFactory.Ring(64)];

    /// <summary>Theory data: every channel, ours and the references.</summary>
    public static TheoryData<string> AllNames => Names(All);

    /// <summary>Theory data: our channels only.</summary>
    public static TheoryData<string> OurNames => Names(Ours);

    /// <summary>Theory data: our unbuffered channel and the ring at its tightest, for the one-against-one races.</summary>
    public static TheoryData<string> RacedNames => Names([ChannelFactory.Rendezvous, ChannelFactory.Ring(1)]);

    /// <summary>Theory data: our channels, for the allocation scenarios (the ring tight, where every item parks, and wide).</summary>
    public static TheoryData<string> MeasuredNames => Names([ChannelFactory.Rendezvous, ChannelFactory.Ring(1), ChannelFactory.Ring(16)]);

    /// <summary>Theory data: our channels, for the stress scenarios.</summary>
    public static TheoryData<string> StressedNames => Names(Stressed);

    public static ChannelFactory Named(string name) =>
        All.Concat(Stressed).Append(ChannelFactory.Ring(16)).First(channel => channel.Name == name);

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
