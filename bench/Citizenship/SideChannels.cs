using System.Threading.Channels;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Creates the channel a scenario asks for on either side, so each scenario is written once.</summary>
internal static class SideChannels
{
    /// <summary>The library's default mode (what channels created without options use), named in the table.</summary>
    public static ContinuationMode DefaultMode => new RendezvousChannelOptions().ContinuationMode;

    /// <summary>A rendezvous channel for <paramref name="capacity"/> 0, else a bounded one holding that many items.</summary>
    public static Channel<T> Create<T>(ChannelSide side, int capacity)
    {
        if (side == ChannelSide.Bcl)
        {
            return Channel.CreateBounded<T>(capacity);
        }

        ContinuationMode mode = side == ChannelSide.OursChained ? ContinuationMode.Chained : ContinuationMode.ThreadPool;
        return capacity == 0
            ? new RendezvousChannel<T>(new RendezvousChannelOptions { ContinuationMode = mode })
            : new RingBufferChannel<T>(new RingBufferChannelOptions(capacity) { ContinuationMode = mode });
    }

    /// <summary>How the table names a channel of this capacity.</summary>
    public static string Describe(int capacity) => capacity == 0 ? "rendezvous" : $"ring({capacity})";
}
