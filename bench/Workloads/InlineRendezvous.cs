using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The async floor of a hand-off: an unbuffered rendezvous for async loops that all run on one thread, with no
/// atomics, no locks and no thread pool. An operation meets the oldest parked partner or parks on its party's
/// reusable <see cref="InlineParty"/>; a woken party's continuation goes to a plain FIFO that <see cref="RunAll"/>
/// drains from one loop. What is left is what .NET's async machinery itself costs per hand-off: a ValueTask over
/// an IValueTaskSource, an await that parks, and a state machine resumed later. No thread-safe channel can beat
/// it; it cannot serve two threads.
/// </summary>
internal sealed class InlineRendezvous
{
    private readonly Queue<InlineParty> _parkedReaders = new();
    private readonly Queue<InlineParty> _parkedWriters = new();

    /// <summary>Parties whose operation completed and whose continuation waits to run, oldest first.</summary>
    private readonly Queue<InlineParty> _runnable;

    /// <param name="runnable">The run queue, shared by every rendezvous the same loops use (ping-pong uses two).</param>
    public InlineRendezvous(Queue<InlineParty> runnable) => _runnable = runnable;

    /// <summary>A party of this rendezvous, for one async loop.</summary>
    public InlineParty NewParty() => new(this);

    public ValueTask WriteAsync(InlineParty writer, int item)
    {
        if (_parkedReaders.TryDequeue(out InlineParty? reader))
        {
            reader.Item = item;
            reader.Complete();
            return default;
        }

        writer.Item = item;
        _parkedWriters.Enqueue(writer);
        return new ValueTask(writer, writer.Token);
    }

    public ValueTask<int> ReadAsync(InlineParty reader)
    {
        if (_parkedWriters.TryDequeue(out InlineParty? writer))
        {
            int item = writer.Item;
            writer.Complete();
            return new ValueTask<int>(item);
        }

        _parkedReaders.Enqueue(reader);
        return new ValueTask<int>(reader, reader.Token);
    }

    /// <summary>Queues a woken party's continuation.</summary>
    public void Schedule(InlineParty party) => _runnable.Enqueue(party);

    /// <summary>Runs woken continuations, oldest first, until none is left: the loops have finished or all wait.</summary>
    public static void RunAll(Queue<InlineParty> runnable)
    {
        while (runnable.TryDequeue(out InlineParty? party))
        {
            party.RunContinuation();
        }
    }
}
