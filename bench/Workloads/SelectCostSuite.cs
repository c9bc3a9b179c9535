using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// What ONE select costs against ONE plain read (issue 13's "a two-clause select costs at most 1.5x a plain ReadAsync
/// hand-off on the same channel kind"), on one thread with every item ready: no other thread, no wake-up, no
/// scheduling. Two of our channels of <see cref="Kind"/>; per round, <see cref="SelectCostChannels.Batch"/> items are
/// made ready on each (a ring filled with TryWrite; a rendezvous channel given parked writers, WriteAsync not
/// awaited), then taken by awaited <see cref="ReadAsync"/> (the baseline) or <see cref="SelectAsync"/>, or by
/// <see cref="TryRead"/> or <see cref="TrySelect"/>; the parked writers are then observed. One operation is one item.
/// </summary>
/// <remarks>
/// Making items ready is inside the timed method, the same code in every row (BenchmarkDotNet's IterationSetup runs
/// once per iteration, not per invocation, and forces a single invocation per iteration): the rows' DIFFERENCE in
/// ns/item is the select's own cost exactly, their ratio is diluted towards 1 by the fill, so <c>compare</c> prints
/// both (<see cref="Results.SelectCostTargets"/>). <see cref="BclReadAsync"/> runs the baseline's loop on
/// <c>Channel.CreateBounded</c> channels of the same semantics: a reference, never judged.
/// </remarks>
[MemoryDiagnoser]
[ThreadingDiagnoser]
public class SelectCostSuite
{
    private SelectCostChannels? _ours;
    private SelectCostChannels? _bcl;

    /// <summary>Rendezvous (BCL: capacity 0), or rings of 1024 (BCL: capacity 1024), each filled by a round.</summary>
    [Params(SelectChannelKind.Rendezvous, SelectChannelKind.Ring1024)]
    public SelectChannelKind Kind { get; set; }

    [GlobalSetup(Targets = [nameof(ReadAsync), nameof(SelectAsync), nameof(TryRead), nameof(TrySelect)])]
    public void SetUpOurs() => _ours = new SelectCostChannels(Kind, ours: true);

    [GlobalSetup(Target = nameof(BclReadAsync))]
    public void SetUpBcl() => _bcl = new SelectCostChannels(Kind, ours: false);

    /// <summary>Completes every channel this case created: an abandoned open channel is what the leak detector reports.</summary>
    [GlobalCleanup]
    public void CompleteChannels()
    {
        _ours?.Complete();
        _bcl?.Complete();
    }

    /// <summary>The baseline: an awaited ReadAsync per item, channel 0's items then channel 1's.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SelectCostChannels.Items)]
    [BenchmarkCategory(SelectSuite.HandOffCategory)]
    public void ReadAsync() => SelectCostWorkloads.Run(_ours!, SelectCostWorkloads.TakeWithReadAsync);

    /// <summary>An awaited SelectAsync of a reusable two-clause <see cref="ChannelSelector"/> per item.</summary>
    [Benchmark(OperationsPerInvoke = SelectCostChannels.Items)]
    [BenchmarkCategory(ChannelSuite.OursCategory)]
    public void SelectAsync() => SelectCostWorkloads.Run(_ours!, SelectCostWorkloads.TakeWithSelectAsync);

    /// <summary>A TryRead per item, channel 0's items then channel 1's: the yardstick of <see cref="TrySelect"/>.</summary>
    [Benchmark(OperationsPerInvoke = SelectCostChannels.Items)]
    [BenchmarkCategory(ChannelSuite.OursCategory)]
    public void TryRead() => SelectCostWorkloads.Run(_ours!, SelectCostWorkloads.TakeWithTryRead);

    /// <summary>A TrySelect of the same selector per item (Go's select with a default, always finding a ready clause).</summary>
    [Benchmark(OperationsPerInvoke = SelectCostChannels.Items)]
    [BenchmarkCategory(ChannelSuite.OursCategory)]
    public void TrySelect() => SelectCostWorkloads.Run(_ours!, SelectCostWorkloads.TakeWithTrySelect);

    /// <summary>The baseline's loop on two <c>Channel.CreateBounded</c> channels of the same semantics: a reference.</summary>
    [Benchmark(OperationsPerInvoke = SelectCostChannels.Items)]
    [BenchmarkCategory(ChannelSuite.BclCategory)]
    public void BclReadAsync() => SelectCostWorkloads.Run(_bcl!, SelectCostWorkloads.TakeWithReadAsync);
}
