using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Rendezvous;

/// <summary>
/// The channels a rendezvous suite compares, created once per benchmark process and reused by every
/// invocation (so the figures are steady-state, with pools warm): ours, the BCL's own unbuffered channel
/// (<c>Channel.CreateBounded&lt;int&gt;(0)</c>, the baseline, same semantics), and an unbounded BCL channel as a
/// buffered reference row.
/// </summary>
public abstract class RendezvousSuite
{
    /// <summary>Items moved per benchmark invocation: tens of milliseconds of rendezvous, so that per-invocation costs (starting tasks, waiting) vanish in the per-item figures.</summary>
    protected const int Items = 16384;

    protected Channel<int> OurChannel { get; private set; } = null!;

    protected Channel<int> BaselineChannel { get; private set; } = null!;

    protected Channel<int> UnboundedChannel { get; private set; } = null!;

    [GlobalSetup]
    public void CreateChannels()
    {
        OurChannel = new RendezvousChannel<int>();
        BaselineChannel = Channel.CreateBounded<int>(0);
        UnboundedChannel = Channel.CreateUnbounded<int>();
    }

    /// <summary>Completes the channels: an abandoned open channel is what the leak detector reports.</summary>
    [GlobalCleanup]
    public void CompleteChannels()
    {
        OurChannel.Writer.TryComplete();
        BaselineChannel.Writer.TryComplete();
        UnboundedChannel.Writer.TryComplete();
    }
}
