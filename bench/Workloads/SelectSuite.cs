using System;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// Select (issue 13): one consumer takes every item from whichever of <see cref="Producers"/> channels has one,
/// each channel fed by its own WriteAsync producer. Our reusable <see cref="ChannelSelector"/> and
/// <see cref="ReadAnySelector{T}"/> against the BCL workaround, <c>Task.WhenAny</c> over <c>WaitToReadAsync</c> of
/// as many <c>Channel.CreateBounded</c> channels, then <c>TryRead</c> (the baseline, same class and run); and, as
/// references, a plain ReadAsync loop on one of our channels of the same kind fed by one producer (what a
/// hand-off costs without a select; the row issue 13's target is stated against), and the same loop fed by as
/// many producers as the select has (the same number of busy loops on the machine's cores, without a select); and
/// <see cref="RoundRobin"/>, the select rows' own channels and producers read by a plain ReadAsync consumer that
/// takes item i from channel i mod <see cref="Producers"/>: the same workload without a select, so that a select
/// row over it is the select's own cost. One operation is one item, so ns/op is ns per selected item.
/// </summary>
/// <remarks>
/// Same shape as <see cref="ChannelSuite"/>: channels (and selectors) are created once per benchmark process and
/// reused by every invocation, an invocation moves <see cref="Items"/> items, every loop checks its items
/// (<see cref="SelectWorkloads"/>), and the categories tell our rows from the BCL's for the comparison table and
/// <c>diff</c>. Each method builds only what it runs (a setup per target). <see cref="Mode"/> picks how OUR
/// channels run woken continuations; the BCL rows ignore it but run in both modes, since a case's ratios need the
/// baseline of the same case. <see cref="ChainedCasesOnlyWhereTheyTell"/> keeps the run to 32 cases.
/// </remarks>
[MemoryDiagnoser]
[ThreadingDiagnoser]
[Config(typeof(ChainedCasesOnlyWhereTheyTell))]
public class SelectSuite
{
    /// <summary>The category of the plain ReadAsync row: our channel without a select, a reference never judged.</summary>
    public const string HandOffCategory = "HandOff";

    /// <summary>Items per invocation, as in <see cref="ChannelSuite"/>; divisible by every producer count.</summary>
    public const int Items = 16384;

    private Channel<int>[] _ours = [];
    private Channel<int>[] _bcl = [];
    private Channel<int>[] _single = [];
    private Channel<int>[] _shared = [];
    private ChannelSelector? _selector;
    private SelectReadClause<int>[] _clauses = [];
    private ReadAnySelector<int>? _readAny;
    private ChannelReader<int>[] _bclReaders = [];
    private ChannelReader<int>[] _oursReaders = [];

    /// <summary>The workaround's pending <c>WaitToReadAsync</c> per channel, kept across invocations (see <see cref="SelectWorkloads.ConsumeWithWhenAnyAsync"/>).</summary>
    private Task<bool>[] _bclWaits = [];

    /// <summary>The channels selected over: rendezvous (BCL: capacity 0), or rings of 1024 (BCL: capacity 1024).</summary>
    [Params(SelectChannelKind.Rendezvous, SelectChannelKind.Ring1024)]
    public SelectChannelKind Kind { get; set; }

    /// <summary>How many channels (one producer each) the consumer selects over: the number of clauses.</summary>
    [Params(2, 4)]
    public int Producers { get; set; }

    /// <summary>How our channels run the continuations they wake (<see cref="RendezvousChannelOptions"/>, <see cref="RingBufferChannelOptions"/>); the BCL rows ignore it.</summary>
    [Params(ContinuationMode.ThreadPool, ContinuationMode.Chained)]
    public ContinuationMode Mode { get; set; }

    [GlobalSetup(Target = nameof(Selector))]
    public void SetUpSelector()
    {
        _ours = CreateOurs(Producers);
        _selector = new ChannelSelector();
        _clauses = [.. _ours.Select(channel => _selector.AddRead(channel.Reader))];
    }

    [GlobalSetup(Target = nameof(ReadAny))]
    public void SetUpReadAny()
    {
        _ours = CreateOurs(Producers);
        _readAny = new ReadAnySelector<int>(_ours.Select(channel => channel.Reader));
    }

    [GlobalSetup(Target = nameof(BclWhenAny))]
    public void SetUpBcl()
    {
        int capacity = Kind == SelectChannelKind.Rendezvous ? 0 : 1024;
        _bcl = [.. Enumerable.Range(0, Producers).Select(_ => Channel.CreateBounded<int>(capacity))];
        _bclReaders = [.. _bcl.Select(channel => channel.Reader)];

        // Completed, so that the first round issues a real wait on every channel.
        _bclWaits = [.. _bcl.Select(_ => Task.FromResult(true))];
    }

    /// <summary>The select rows' channels (one producer each), read round-robin by a plain ReadAsync consumer.</summary>
    [GlobalSetup(Target = nameof(RoundRobin))]
    public void SetUpRoundRobin()
    {
        _ours = CreateOurs(Producers);
        _oursReaders = [.. _ours.Select(channel => channel.Reader)];
    }

    [GlobalSetup(Target = nameof(PlainReadAsync))]
    public void SetUpPlain() => _single = CreateOurs(1);

    /// <summary>One channel, written by all <see cref="Producers"/> producers: the array names it once per producer.</summary>
    [GlobalSetup(Target = nameof(PlainReadAsyncSameProducers))]
    public void SetUpPlainSameProducers()
    {
        Channel<int> channel = CreateOurs(1)[0];
        _shared = [.. Enumerable.Repeat(channel, Producers)];
    }

    /// <summary>Completes every channel this case created: an abandoned open channel is what the leak detector reports.</summary>
    [GlobalCleanup]
    public void CompleteChannels()
    {
        foreach (Channel<int> channel in _ours.Concat(_bcl).Concat(_single).Concat(_shared))
        {
            channel.Writer.TryComplete();
        }
    }

    /// <summary>Our <see cref="ChannelSelector"/>, one read clause per channel, built once; <c>SelectAsync</c> per item.</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(ChannelSuite.OursCategory)]
    public void Selector() =>
        SelectWorkloads.Run(_ours, () => SelectWorkloads.ConsumeWithSelectorAsync(_selector!, _clauses, Items), Items);

    /// <summary>Our <see cref="ReadAnySelector{T}"/> over the channels' readers, built once; <c>ReadAsync</c> per item.</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(ChannelSuite.OursCategory)]
    public void ReadAny() =>
        SelectWorkloads.Run(_ours, () => SelectWorkloads.ConsumeWithReadAnyAsync(_readAny!, Items), Items);

    /// <summary>The baseline: <c>Task.WhenAny</c> over <c>WaitToReadAsync().AsTask()</c> of <c>CreateBounded</c> channels, with TryRead.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    [BenchmarkCategory(ChannelSuite.BclCategory)]
    public void BclWhenAny() =>
        SelectWorkloads.Run(_bcl, () => SelectWorkloads.ConsumeWithWhenAnyAsync(_bclReaders, _bclWaits, Items), Items);

    /// <summary>The reference: one producer, one plain ReadAsync consumer on one of our channels of the same kind.</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(HandOffCategory)]
    public void PlainReadAsync() =>
        SelectWorkloads.Run(_single, () => SelectWorkloads.ConsumeWithReadAsync(_single[0].Reader, Items), Items);

    /// <summary>
    /// The fair reference: <see cref="Producers"/> producers on ONE of our channels of the same kind and one plain
    /// ReadAsync consumer, so as many loops share the cores as in the select rows, but with no select.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(HandOffCategory)]
    public void PlainReadAsyncSameProducers() =>
        SelectWorkloads.Run(_shared, () => SelectWorkloads.ConsumeWithReadAsync(_shared[0].Reader, Items), Items);

    /// <summary>
    /// The same-workload reference: the select rows' channels and producers, and one consumer that reads item i with a
    /// plain ReadAsync on channel i mod <see cref="Producers"/> (every producer writes an equal share, so it never
    /// waits on a channel that has no item left). A select row's time over this one is what the select itself costs.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Items)]
    [BenchmarkCategory(HandOffCategory)]
    public void RoundRobin() =>
        SelectWorkloads.Run(_ours, () => SelectWorkloads.ConsumeRoundRobinAsync(_oursReaders, Items), Items);

    private Channel<int>[] CreateOurs(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Kind == SelectChannelKind.Rendezvous
            ? (Channel<int>)new RendezvousChannel<int>(new RendezvousChannelOptions { ContinuationMode = Mode })
            : new RingBufferChannel<int>(new RingBufferChannelOptions(1024) { ContinuationMode = Mode }))];

    /// <summary>
    /// Keeps <c>compare --filter '*SelectSuite*'</c> near seven minutes (32 cases): in Chained mode only two producers
    /// (the targets are for two clauses) and only the rows that tell the select's cost apart, Selector,
    /// RoundRobin, PlainReadAsync and the baseline; ReadAny (a wrapper over the same select) and
    /// PlainReadAsyncSameProducers run in ThreadPool mode.
    /// </summary>
    private sealed class ChainedCasesOnlyWhereTheyTell : ManualConfig
    {
        private static readonly string[] s_chainedMethods = [nameof(Selector), nameof(RoundRobin), nameof(PlainReadAsync), nameof(BclWhenAny)];

        public ChainedCasesOnlyWhereTheyTell() =>
            AddFilter(new SimpleFilter(benchmark =>
                !Equals(benchmark.Parameters[nameof(Mode)], ContinuationMode.Chained) ||
                (Equals(benchmark.Parameters[nameof(Producers)], 2) &&
                 s_chainedMethods.Contains(benchmark.Descriptor.WorkloadMethod.Name))));
    }
}
