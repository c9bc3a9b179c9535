// RendezvousChannel<T>: an unbuffered channel whose every hand-off is a CAS on a parked waiter.
//
// Algorithm: a lock-free dual queue of parked operations (Scherer & Scott, "Nonblocking Concurrent Data
// Structures with Condition Synchronization", DISC 2004; the fair mode of Java's SynchronousQueue), laid out
// as a growable ring of sequence-stamped slots (Vyukov's bounded MPMC queue) so that parked operations cost no
// allocation: see Internal/WaiterQueue.cs. An arriving operation either claims the oldest parked partner and
// completes it with one CAS on the partner's versioned state (Internal/Waiter.cs), or parks itself; which of
// the two happens is decided by a single CAS on the queue's state word.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using RendezvousChannel.Internal;

namespace RendezvousChannel;

/// <summary>
/// An unbuffered (rendezvous) channel: a write completes only when a reader has taken its item. Lock-free,
/// allocation-free in steady state, and a drop-in <see cref="Channel{T}"/>.
/// </summary>
/// <remarks>
/// <para>How the rendezvous refines the <see cref="ChannelReader{T}"/>/<see cref="ChannelWriter{T}"/> contract:</para>
/// <list type="bullet">
/// <item><description><see cref="ChannelWriter{T}.WriteAsync"/> parks until a reader takes the item;
/// <see cref="ChannelReader{T}.ReadAsync"/> parks until a writer offers one. Parked readers are served first
/// come, first served, and so are parked writers.</description></item>
/// <item><description><see cref="ChannelWriter{T}.TryWrite"/> succeeds only by handing its item to a reader
/// parked in <c>ReadAsync</c>; <see cref="ChannelReader{T}.TryRead"/> succeeds only by taking the item of a
/// writer parked in <c>WriteAsync</c>. <see cref="ChannelReader{T}.WaitToReadAsync"/> completes <c>true</c>
/// when a writer is parked; <see cref="ChannelWriter{T}.WaitToWriteAsync"/> when a reader is parked.</description></item>
/// <item><description>Consequently two sides that both use only <c>Try*</c>/<c>WaitTo*</c> never meet: each waits
/// for the other to park, and neither does (as with Go's <c>select</c> with <c>default</c> on an unbuffered
/// channel, and with <c>Channel.CreateBounded&lt;T&gt;(0)</c>). At least one side must park: for example
/// <see cref="ChannelReader{T}.ReadAllAsync"/> (WaitToRead + TryRead) works against <c>WriteAsync</c>
/// producers, and <c>TryWrite</c>/<c>WaitToWriteAsync</c> producers work against <c>ReadAsync</c> consumers.</description></item>
/// <item><description>Completion is mandatory and immediate: <see cref="ChannelWriter{T}.TryComplete"/> wakes
/// every parked reader and writer at once. Parked and later reads and writes throw
/// <see cref="ChannelClosedException"/> (inner exception: the completion error); the items of failed writes
/// are never delivered; <see cref="ChannelReader{T}.Completion"/> completes at once, since an unbuffered
/// channel holds nothing to drain.</description></item>
/// <item><description>A parked operation whose token is canceled ends with
/// <see cref="OperationCanceledException"/> and leaves the channel as if it had never come: when a hand-off
/// races a cancellation, exactly one of them wins.</description></item>
/// </list>
/// <para>Continuations of woken operations run asynchronously on the thread pool (queued to the waking
/// thread's local queue), never inside the operation that wakes them.</para>
/// </remarks>
/// <typeparam name="T">The type of the items.</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(RendezvousChannel<>.DebugView))]
public sealed class RendezvousChannel<T> : Channel<T>, IWaiterOwner, ILeakTrackable
{
    /// <summary>Readers parked in ReadAsync or writers parked in WriteAsync, never both (a dual queue).</summary>
    private readonly WaiterQueue<T> _parked = new();

    /// <summary>WaitToReadAsync callers; woken with <c>true</c> whenever a writer parks.</summary>
    private readonly WaiterQueue<bool> _waitingToRead = new();

    /// <summary>WaitToWriteAsync callers; woken with <c>true</c> whenever a reader parks.</summary>
    private readonly WaiterQueue<bool> _waitingToWrite = new();

    private readonly WaiterPool<T> _pool = new();
    private readonly WaiterPool<bool> _signalPool = new();
    private readonly ChannelCompletion _completion = new();

    /// <summary>Reports this channel if it is collected without having been completed; null when detection is off.</summary>
    private readonly LeakTracker? _leakTracker;

    /// <summary>Creates an open rendezvous channel.</summary>
    public RendezvousChannel()
    {
        Reader = new RendezvousReader(this);
        Writer = new RendezvousWriter(this);
        _leakTracker = LeakTracker.TryCreate(this);
    }

    int ILeakTrackable.BlockedReaders =>
        _parked.CountLive(WaiterKind.Reader) + _waitingToRead.CountLive(WaiterKind.Reader);

    int ILeakTrackable.BlockedWriters =>
        _parked.CountLive(WaiterKind.Writer) + _waitingToWrite.CountLive(WaiterKind.Writer);

    void IWaiterOwner.OnWaiterCanceled(WaiterKind kind) => _parked.TrimDeadHead();

    /// <summary>
    /// Claims the oldest parked writer, if any, and takes its item. Dead entries (canceled writers) are
    /// consumed and skipped.
    /// </summary>
    private bool TryTakeFromParkedWriter(out T item)
    {
        while (_parked.TryDequeue(WaiterKind.Writer, out Waiter<T> writer, out short token))
        {
            // Claim the writer: the CAS makes us the only party that ends its WriteAsync, so its item is ours.
            if (writer.TryClaim(token, WaiterStatus.Matched))
            {
                item = writer.Item;
                // Read the item before publishing: once published, the writer may be recycled.
                writer.Publish();
                return true;
            }
        }

        item = default!;
        return false;
    }

    /// <summary>Claims the oldest parked reader, if any, and gives it <paramref name="item"/>.</summary>
    private bool TryGiveToParkedReader(T item)
    {
        while (_parked.TryDequeue(WaiterKind.Reader, out Waiter<T> reader, out short token))
        {
            // Claim the reader: the CAS makes us the only party that ends its ReadAsync.
            if (reader.TryClaim(token, WaiterStatus.Matched))
            {
                reader.PublishResult(item);
                return true;
            }
        }

        return false;
    }

    /// <summary>Parks a rented, armed waiter of <paramref name="kind"/>, or reports why it could not.</summary>
    private EnqueueResult TryPark(WaiterKind kind, Waiter<T> waiter, short token, CancellationToken cancellationToken)
    {
        EnqueueResult result = _parked.TryEnqueue(kind, waiter, token);
        if (result == EnqueueResult.Enqueued)
        {
            waiter.RegisterCancellation(cancellationToken);
            // A parked operation is what the other side's WaitTo callers wait for. Our enqueue CAS and their
            // enqueue CAS are both full fences, and each side checks the other's queue after its own CAS,
            // so at least one of us sees the other (Dekker): no WaitTo caller sleeps through our parking.
            WaiterQueue<bool> signalled = kind == WaiterKind.Writer ? _waitingToRead : _waitingToWrite;
            if (!signalled.IsEmpty)
            {
                WakeAll(signalled, true);
            }
        }

        return result;
    }

    /// <summary>Wakes every WaitTo waiter in <paramref name="queue"/> with <paramref name="result"/>.</summary>
    private static void WakeAll(WaiterQueue<bool> queue, bool result)
    {
        while (queue.TryDequeueAny(out Waiter<bool> waiter, out short token))
        {
            // Claim each waiter; one already claimed (by cancellation or another waker) is skipped.
            if (waiter.TryClaim(token, WaiterStatus.Matched))
            {
                waiter.PublishResult(result);
            }
        }
    }

    /// <summary>
    /// Parks a WaitTo caller in <paramref name="queue"/> unless its wait is already over
    /// holds (a <paramref name="partner"/> is parked), re-checking it after parking (see <see cref="TryPark"/> for why one re-check suffices).
    /// </summary>
    private ValueTask<bool> WaitForPartner(WaiterKind kind, WaiterKind partner, WaiterQueue<bool> queue, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        if (_parked.HasParked(partner))
        {
            return new ValueTask<bool>(true);
        }

        if (_completion.IsDone)
        {
            return _completion.WaitResultWhenDone();
        }

        Waiter<bool> waiter = _signalPool.Rent();
        short token = waiter.Arm(kind, this, runContinuationsAsynchronously: true);
        if (queue.TryEnqueue(kind, waiter, token) != EnqueueResult.Enqueued)
        {
            // The only way a single-kind queue refuses is that it is closed: the channel completed.
            waiter.Recycle();
            return _completion.WaitResultWhenDone();
        }

        waiter.RegisterCancellation(cancellationToken);
        if (_parked.HasParked(partner))
        {
            WakeAll(queue, true);
        }

        return new ValueTask<bool>(waiter, token);
    }

    private bool TryCompleteCore(Exception? error)
    {
        if (!_completion.TryMarkDone(error))
        {
            return false;
        }

        // Close before draining: once closed, no operation can park, so the drain below reaches every
        // waiter that will ever be parked, and nothing waits forever.
        _parked.Close();
        _waitingToRead.Close();
        _waitingToWrite.Close();
        while (_parked.TryDequeueAny(out Waiter<T> waiter, out short token))
        {
            // Claim each parked reader or writer for the completion; one that a partner or its cancellation
            // claimed first is theirs. A writer claimed here never delivers its item.
            if (waiter.TryClaim(token, WaiterStatus.Closed))
            {
                waiter.PublishError(_completion.CreateClosedException());
            }
        }

        DrainSignals(_waitingToRead);
        DrainSignals(_waitingToWrite);
        _completion.SignalDrained();
        _leakTracker?.Disarm();
        return true;
    }

    private void DrainSignals(WaiterQueue<bool> queue)
    {
        while (queue.TryDequeueAny(out Waiter<bool> waiter, out short token))
        {
            if (waiter.TryClaim(token, WaiterStatus.Closed))
            {
                if (_completion.Error is Exception error)
                {
                    waiter.PublishError(error);
                }
                else
                {
                    waiter.PublishResult(false);
                }
            }
        }
    }

    private string DebuggerDisplay
    {
        get
        {
            ILeakTrackable counts = this;
            return $"{(_completion.IsDone ? "Completed" : "Open")}, BlockedReaders = {counts.BlockedReaders}, BlockedWriters = {counts.BlockedWriters}";
        }
    }

    /// <summary>The reader side: TryRead takes a parked writer's item; ReadAsync parks until a writer comes.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RendezvousReader : ChannelReader<T>
    {
        private readonly RendezvousChannel<T> _channel;

        internal RendezvousReader(RendezvousChannel<T> channel) => _channel = channel;

        public override Task Completion => _channel._completion.Task;

        public override bool CanPeek => false;

        public override bool TryRead(out T item) => _channel.TryTakeFromParkedWriter(out item);

        public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<T>(cancellationToken);
            }

            RendezvousChannel<T> channel = _channel;
            Waiter<T>? waiter = null;
            short token = 0;
            while (true)
            {
                if (channel.TryTakeFromParkedWriter(out T item))
                {
                    waiter?.Recycle();
                    return new ValueTask<T>(item);
                }

                if (waiter is null)
                {
                    if (channel._completion.IsDone)
                    {
                        return ValueTask.FromException<T>(channel._completion.CreateClosedException());
                    }

                    waiter = channel._pool.Rent();
                    token = waiter.Arm(WaiterKind.Reader, channel, runContinuationsAsynchronously: true);
                }

                switch (channel.TryPark(WaiterKind.Reader, waiter, token, cancellationToken))
                {
                    case EnqueueResult.Enqueued:
                        return new ValueTask<T>(waiter, token);
                    case EnqueueResult.Closed:
                        waiter.Recycle();
                        return ValueTask.FromException<T>(channel._completion.CreateClosedException());
                    default:
                        // Writers parked between our look and our CAS: go and meet them.
                        continue;
                }
            }
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _channel.WaitForPartner(WaiterKind.Reader, WaiterKind.Writer, _channel._waitingToRead, cancellationToken);
    }

    /// <summary>The writer side: TryWrite hands to a parked reader; WriteAsync parks until a reader comes.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RendezvousWriter : ChannelWriter<T>
    {
        private readonly RendezvousChannel<T> _channel;

        internal RendezvousWriter(RendezvousChannel<T> channel) => _channel = channel;

        public override bool TryComplete(Exception? error = null) => _channel.TryCompleteCore(error);

        public override bool TryWrite(T item) =>
            !_channel._completion.IsDone && _channel.TryGiveToParkedReader(item);

        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            RendezvousChannel<T> channel = _channel;
            if (channel._completion.IsDone)
            {
                return ValueTask.FromException(channel._completion.CreateClosedException());
            }

            Waiter<T>? waiter = null;
            short token = 0;
            while (true)
            {
                if (channel.TryGiveToParkedReader(item))
                {
                    waiter?.Recycle();
                    return default;
                }

                if (waiter is null)
                {
                    waiter = channel._pool.Rent();
                    token = waiter.Arm(WaiterKind.Writer, channel, runContinuationsAsynchronously: true);
                    waiter.Item = item;
                }

                switch (channel.TryPark(WaiterKind.Writer, waiter, token, cancellationToken))
                {
                    case EnqueueResult.Enqueued:
                        return new ValueTask(waiter, token);
                    case EnqueueResult.Closed:
                        waiter.Recycle();
                        return ValueTask.FromException(channel._completion.CreateClosedException());
                    default:
                        // Readers parked between our look and our CAS: go and meet them.
                        continue;
                }
            }
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            _channel.WaitForPartner(WaiterKind.Writer, WaiterKind.Reader, _channel._waitingToWrite, cancellationToken);
    }

    private sealed class DebugView(RendezvousChannel<T> channel)
    {
        public bool IsCompleted => channel._completion.IsDone;

        public int BlockedReaders => ((ILeakTrackable)channel).BlockedReaders;

        public int BlockedWriters => ((ILeakTrackable)channel).BlockedWriters;
    }
}
