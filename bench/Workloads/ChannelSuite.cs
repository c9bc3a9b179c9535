using System.Collections.Generic;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The shape every benchmark class shares: each <see cref="Workload"/> (a parameter) run against our channel
/// and against its BCL counterpart, <c>Channel.CreateBounded</c>, which is the baseline of the same class and
/// run. The channels are created once per benchmark process and reused by every invocation, so the figures are
/// steady-state with pools warm; an invocation moves <see cref="Operations"/> items, so starting its tasks costs
/// well under a byte and a few nanoseconds per item.
/// </summary>
/// <remarks>
/// The categories say whose channel a method runs: the comparison table and <c>diff</c> read them (and
/// <c>[Benchmark(Baseline = true)]</c>) to tell our rows from the BCL's; they also work as filters
/// (<c>--anyCategories Ours</c>). Default channel options on both sides.
/// </remarks>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public abstract class ChannelSuite
{
    /// <summary>The category of a method that runs a channel of this project.</summary>
    public const string OursCategory = "Ours";

    /// <summary>The category of a method that runs a System.Threading.Channels channel (baseline or reference row).</summary>
    public const string BclCategory = "Bcl";

    /// <summary>The category of the async floor row: the workload on a single-threaded, atomic-free rendezvous (no channel).</summary>
    public const string FloorCategory = "Floor";

    /// <summary>Operations per invocation: tens of milliseconds, so that per-invocation costs vanish per item.</summary>
    protected const int Operations = 16384;

    // Each side has two channels: ping-pong sends its requests through the first and its echoes through the second.
    private (Channel<int> Channel, Channel<int> Replies) _ours;
    private (Channel<int> Channel, Channel<int> Replies) _bcl;
    private (Channel<int> Channel, Channel<int> Replies) _unbounded;

    /// <summary>The workload of this benchmark case, one of <see cref="Workloads"/>.</summary>
    [ParamsSource(nameof(Workloads))]
    public Workload Workload { get; set; }

    /// <summary>The workloads this class runs.</summary>
    public abstract IEnumerable<Workload> Workloads { get; }

    /// <summary>Items <see cref="Ours"/> moves per invocation: <see cref="Operations"/>, unless a <see cref="PlantedSlowdown"/> is set.</summary>
    private int _oursItems = Operations;

    [GlobalSetup]
    public void CreateChannels()
    {
        _ours = (CreateOurs(), CreateOurs());
        _oursItems = PlantedSlowdown.ItemsToMove(_ours.Channel, Workload, Operations);
        _bcl = (CreateBcl(), CreateBcl());
        _unbounded = (Channel.CreateUnbounded<int>(), Channel.CreateUnbounded<int>());
    }

    /// <summary>Completes the channels: an abandoned open channel is what the leak detector reports.</summary>
    [GlobalCleanup]
    public void CompleteChannels()
    {
        foreach ((Channel<int> channel, Channel<int> replies) in new[] { _ours, _bcl, _unbounded })
        {
            channel.Writer.TryComplete();
            replies.Writer.TryComplete();
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(OursCategory)]
    public void Ours() => ChannelWorkloads.Run(Workload, _ours.Channel, _ours.Replies, _oursItems);

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory(BclCategory)]
    public void BclBounded() => ChannelWorkloads.Run(Workload, _bcl.Channel, _bcl.Replies, Operations);

    /// <summary>Our channel, as a user would create it.</summary>
    protected abstract Channel<int> CreateOurs();

    /// <summary>The BCL's channel with the same semantics: the baseline.</summary>
    protected abstract Channel<int> CreateBcl();

    /// <summary>The workload on <c>Channel.CreateUnbounded</c>, for a derived class's reference row.</summary>
    protected void RunOnUnbounded() => ChannelWorkloads.Run(Workload, _unbounded.Channel, _unbounded.Replies, Operations);
}
