using System.Threading.Channels;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Creates the channel a scenario asks for on either side, so each scenario is written once.</summary>
internal static class SideChannels
{
    /// <summary>A rendezvous channel for <paramref name="capacity"/> 0, else a bounded one holding that many items.</summary>
    public static Channel<T> Create<T>(ChannelSide side, int capacity) => (side, capacity) switch
    {
        (ChannelSide.Bcl, _) => Channel.CreateBounded<T>(capacity),
        (ChannelSide.Ours, 0) => new RendezvousChannel<T>(),
        (ChannelSide.Ours, _) => new RingBufferChannel<T>(capacity),
        (_, 0) => new RendezvousChannel<T>(new RendezvousChannelOptions { ContinuationMode = ContinuationMode.ThreadPool }),
        _ => new RingBufferChannel<T>(new RingBufferChannelOptions(capacity) { ContinuationMode = ContinuationMode.ThreadPool }),
    };

    /// <summary>How the table names a channel of this capacity.</summary>
    public static string Describe(int capacity) => capacity == 0 ? "rendezvous" : $"ring({capacity})";
}
