using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Ring;

/// <summary>
/// The channels a ring suite compares at each capacity, created once per benchmark process and reused by
/// every invocation (steady state, pools warm): ours and its BCL counterpart with the same semantics,
/// <c>Channel.CreateBounded&lt;int&gt;(capacity)</c> (FullMode Wait), the baseline.
/// </summary>
public abstract class RingSuite
{
    /// <summary>Items moved per benchmark invocation: enough that per-invocation costs vanish per item.</summary>
    protected const int Items = 16384;

    /// <summary>1: every item is a hand-off, as in a rendezvous; 16: short bursts; 1024: rarely full or empty.</summary>
    [Params(1, 16, 1024)]
    public int Capacity { get; set; }

    protected Channel<int> OurChannel { get; private set; } = null!;

    protected Channel<int> BaselineChannel { get; private set; } = null!;

    [GlobalSetup]
    public void CreateChannels()
    {
        OurChannel = new RingBufferChannel<int>(Capacity);
        BaselineChannel = Channel.CreateBounded<int>(Capacity);
    }

    /// <summary>Completes the channels: an abandoned open channel is what the leak detector reports.</summary>
    [GlobalCleanup]
    public void CompleteChannels()
    {
        OurChannel.Writer.TryComplete();
        BaselineChannel.Writer.TryComplete();
    }
}
