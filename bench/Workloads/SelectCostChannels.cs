using System;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The two channels of a <see cref="SelectCostSuite"/> row and what it takes to make their items ready on one thread,
/// round by round: a ring is filled with TryWrite; a rendezvous channel gets parked writers (WriteAsync, not awaited,
/// the ValueTasks kept) that <see cref="ObserveWriters"/> collects once the round's items were taken. Channel c
/// carries the items [c × <see cref="Share"/>, (c + 1) × <see cref="Share"/>) of an invocation, so an item tells which
/// channel it came from (<see cref="SelectWorkloads.CheckSource"/>).
/// </summary>
internal sealed class SelectCostChannels
{
    /// <summary>Items per invocation, over both channels.</summary>
    public const int Items = 4096;

    /// <summary>The channels per row: the clauses of the select.</summary>
    public const int Count = 2;

    /// <summary>Items each channel carries per invocation.</summary>
    public const int Share = Items / Count;

    /// <summary>
    /// Writers parked on each rendezvous channel per round: no more than a channel's waiter pool keeps idle (at least
    /// 4), so the parked writers' waiters are reused round after round and a row allocates nothing.
    /// </summary>
    public const int ParkedWritersPerChannel = 4;

    /// <summary>The capacity of each ring (ours and the BCL's): a round fills it.</summary>
    public const int RingCapacity = 1024;

    /// <summary>The writes parked in the current round, channel by channel; default (completed) outside a round.</summary>
    private readonly ValueTask[] _parkedWrites;

    public SelectCostChannels(SelectChannelKind kind, bool ours)
    {
        ParksWriters = kind == SelectChannelKind.Rendezvous;
        Batch = ParksWriters ? ParkedWritersPerChannel : RingCapacity;
        Channels = [.. Enumerable.Range(0, Count).Select(_ => Create(kind, ours))];
        Readers = [.. Channels.Select(channel => channel.Reader)];
        _parkedWrites = new ValueTask[ParksWriters ? Count * Batch : 0];
        if (ours)
        {
            Selector = new ChannelSelector();
            Clauses = [.. Readers.Select(reader => Selector.AddRead(reader))];
        }
    }

    public Channel<int>[] Channels { get; }

    public ChannelReader<int>[] Readers { get; }

    /// <summary>A reusable two-clause select over <see cref="Readers"/>; null for the BCL's channels, which it refuses.</summary>
    public ChannelSelector? Selector { get; }

    /// <summary>The read clause of each channel, in channel order: clause c reads channel c.</summary>
    public SelectReadClause<int>[] Clauses { get; } = [];

    /// <summary>Whether items are parked writers (rendezvous) rather than buffered items (ring).</summary>
    public bool ParksWriters { get; }

    /// <summary>Items made ready on each channel per round.</summary>
    public int Batch { get; }

    /// <summary>Rounds per invocation.</summary>
    public int Rounds => Share / Batch;

    /// <summary>Makes round <paramref name="round"/>'s <see cref="Batch"/> items ready on each channel.</summary>
    public void Fill(int round)
    {
        for (int c = 0; c < Count; c++)
        {
            ChannelWriter<int> writer = Channels[c].Writer;
            int first = (c * Share) + (round * Batch);
            for (int j = 0; j < Batch; j++)
            {
                if (!ParksWriters)
                {
                    if (!writer.TryWrite(first + j))
                    {
                        throw new InvalidOperationException($"Ring {c} refused item {first + j}: an earlier round left items in it.");
                    }

                    continue;
                }

                ValueTask write = writer.WriteAsync(first + j);
                if (write.IsCompleted)
                {
                    throw new InvalidOperationException($"A write to rendezvous channel {c} completed with no reader: an earlier round left a reader parked.");
                }

                _parkedWrites[(c * Batch) + j] = write;
            }
        }
    }

    /// <summary>
    /// Observes every write parked by <see cref="Fill"/> (which gives its waiter back to the pool); throws if one is
    /// still parked, that is, if the round did not take its item.
    /// </summary>
    public void ObserveWriters()
    {
        for (int k = 0; k < _parkedWrites.Length; k++)
        {
            ValueTask write = _parkedWrites[k];
            if (!write.IsCompleted)
            {
                throw new InvalidOperationException($"Parked write {k} of this round is still waiting: its item was not taken.");
            }

            write.GetAwaiter().GetResult();
            _parkedWrites[k] = default;
        }
    }

    /// <summary>Completes both channels: an abandoned open channel is what the leak detector reports; parked writers fail.</summary>
    public void Complete()
    {
        foreach (Channel<int> channel in Channels)
        {
            channel.Writer.TryComplete();
        }
    }

    private static Channel<int> Create(SelectChannelKind kind, bool ours) => (kind, ours) switch
    {
        (SelectChannelKind.Rendezvous, true) => new RendezvousChannel<int>(),
        (SelectChannelKind.Rendezvous, false) => Channel.CreateBounded<int>(0),
        (_, true) => new RingBufferChannel<int>(RingCapacity),
        _ => Channel.CreateBounded<int>(RingCapacity),
    };
}
