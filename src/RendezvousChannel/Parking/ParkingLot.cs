using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// Everything a channel needs to park operations and wake them, shared by <see cref="RendezvousChannel{T}"/>
/// and <see cref="RingBufferChannel{T}"/>: the dual queue of parked reads and writes, the queues of WaitTo
/// callers, the waiter pools, and the completion drain.
/// </summary>
/// <remarks>
/// Lost wake-ups are ruled out the same way everywhere: a party that parks does so with a CAS (a full fence)
/// and then re-checks the condition it waits for; a party that makes the condition true does so with a CAS
/// and then checks for parked waiters. Of two such parties at least one sees the other (Dekker), and that
/// one does the waking.
/// </remarks>
internal sealed class ParkingLot<T>
{
    /// <summary>Reads parked in ReadAsync or writes parked in WriteAsync; never both at once (a dual queue).</summary>
    public readonly WaiterQueue<T> Parked = new();

    /// <summary>WaitToReadAsync callers, woken with <c>true</c> when something may be read.</summary>
    public readonly WaiterQueue<bool> WaitingToRead = new();

    /// <summary>WaitToWriteAsync callers, woken with <c>true</c> when something may be written.</summary>
    public readonly WaiterQueue<bool> WaitingToWrite = new();

    private readonly WaiterPool<T> _pool = new();
    private readonly WaiterPool<bool> _signalPool = new();
    private readonly ChannelCompletion _completion;
    private readonly IReadiness _readiness;

    public ParkingLot(ChannelCompletion completion, IReadiness readiness)
    {
        _completion = completion;
        _readiness = readiness;
    }

    /// <summary>Readers parked in ReadAsync or WaitToReadAsync (a racy snapshot, for diagnostics).</summary>
    public int BlockedReaders => Parked.CountLive(WaiterKind.Reader) + WaitingToRead.CountLive(WaiterKind.Reader);

    /// <summary>Writers parked in WriteAsync or WaitToWriteAsync (a racy snapshot, for diagnostics).</summary>
    public int BlockedWriters => Parked.CountLive(WaiterKind.Writer) + WaitingToWrite.CountLive(WaiterKind.Writer);

    /// <summary>Rents a waiter for a read or write that is about to park.</summary>
    public Waiter<T> Rent(WaiterKind kind, out long version)
    {
        Waiter<T> waiter = _pool.Rent();
        version = waiter.Arm(kind, Parked);
        return waiter;
    }

    /// <summary>Parks an armed waiter and arms its cancellation, or says why it could not park.</summary>
    public EnqueueResult TryPark(Waiter<T> waiter, long version, CancellationToken cancellationToken)
    {
        EnqueueResult result = Parked.TryEnqueue(waiter.Kind, waiter, version);
        if (result == EnqueueResult.Enqueued)
        {
            waiter.RegisterCancellation(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Claims the oldest parked writer, if any, and takes its item. Dead entries (canceled writers) are
    /// consumed and skipped.
    /// </summary>
    public bool TryTakeFromParkedWriter(out T item)
    {
        while (Parked.TryDequeue(WaiterKind.Writer, out Waiter<T> writer, out long version))
        {
            // Claim the writer: the CAS makes us the only party that ends its WriteAsync, so its item is ours.
            if (writer.TryClaim(version, WaiterStatus.Matched))
            {
                item = writer.Item;
                // The item is read before publishing: once published, the writer may be recycled.
                writer.Publish();
                return true;
            }
        }

        item = default!;
        return false;
    }

    /// <summary>Claims the oldest parked reader, if any, and gives it <paramref name="item"/>.</summary>
    public bool TryGiveToParkedReader(T item)
    {
        while (Parked.TryDequeue(WaiterKind.Reader, out Waiter<T> reader, out long version))
        {
            // Claim the reader: the CAS makes us the only party that ends its ReadAsync.
            if (reader.TryClaim(version, WaiterStatus.Matched))
            {
                reader.PublishResult(item);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// WaitToReadAsync / WaitToWriteAsync: completes at once if the channel is ready for <paramref name="kind"/>
    /// (or done), else parks until a <see cref="WakeWhileReady"/> or the completion.
    /// </summary>
    public ValueTask<bool> WaitAsync(WaiterKind kind, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        // A writer must not be told "true" after completion; a reader must be while items remain to drain.
        if (kind == WaiterKind.Writer && _completion.IsDone)
        {
            return _completion.WaitResultWhenDone();
        }

        if (_readiness.IsReady(kind))
        {
            return new ValueTask<bool>(true);
        }

        // A reader may hear "no more" only once the channel is drained: between the last accepted write and
        // the completion, "done" is already true while the item still waits to be read.
        if (kind == WaiterKind.Writer ? _completion.IsDone : _readiness.IsDrained)
        {
            return _completion.WaitResultWhenDone();
        }

        WaiterQueue<bool> queue = kind == WaiterKind.Reader ? WaitingToRead : WaitingToWrite;
        Waiter<bool> waiter = _signalPool.Rent();
        long version = waiter.Arm(kind, queue);
        if (queue.TryEnqueue(kind, waiter, version) != EnqueueResult.Enqueued)
        {
            // A single-kind queue refuses only when it is closed: the channel completed meanwhile.
            waiter.Recycle();
            return kind == WaiterKind.Reader && _readiness.IsReady(kind) ? new ValueTask<bool>(true) : _completion.WaitResultWhenDone();
        }

        waiter.RegisterCancellation(cancellationToken);
#if PLANTED_BUGS
        if (PlantedBugHooks.SkipRecheckAfterParking) { return waiter.AsValueTask(version); }
#endif
        // Re-check after parking (see the class remarks): readiness that arrived before our CAS, and whose
        // maker checked our queue before our CAS, is seen here.
        WakeWhileReady(kind);

        return waiter.AsValueTask(version);
    }

    /// <summary>
    /// Wakes WaitTo callers of <paramref name="kind"/> with <c>true</c>, oldest first, for as long as the channel
    /// is ready for them. Checking readiness before each one keeps a late waker from draining, with <c>true</c>,
    /// callers that parked after the item it saw had been taken (a lone reader's TryRead after <c>true</c> then
    /// fails; only a waker preempted between its check and its dequeue still can, and <c>true</c> stays the hint
    /// that the ChannelReader contract makes it). No wake-up is lost by stopping early: whoever makes the
    /// channel ready again wakes the rest, and a caller that parks re-checks readiness itself (class remarks).
    /// </summary>
    public void WakeWhileReady(WaiterKind kind)
    {
        WaiterQueue<bool> queue = kind == WaiterKind.Reader ? WaitingToRead : WaitingToWrite;
        while (_readiness.IsReady(kind) && queue.TryDequeueAny(out Waiter<bool> waiter, out long version))
        {
            // Claim each waiter; one already claimed (by its cancellation or another waker) is skipped.
            if (waiter.TryClaim(version, WaiterStatus.Matched))
            {
                waiter.PublishResult(true);
            }
        }
    }

    /// <summary>Closes every queue: from now on nothing can park, so a drain reaches every parked waiter.</summary>
    public void Close()
    {
        Parked.Close();
        WaitingToRead.Close();
        WaitingToWrite.Close();
    }

    /// <summary>
    /// Completion only, after <see cref="Close"/>: ends every parked read or write with the channel's closed
    /// exception. A waiter that a partner or its cancellation claimed first is theirs; a writer claimed here
    /// never delivers its item.
    /// </summary>
    public void FailParked()
    {
#if PLANTED_BUGS
        PlantedBugHooks.DropOldestParked(Parked);
#endif
        while (Parked.TryDequeueAny(out Waiter<T> waiter, out long version))
        {
            if (waiter.TryClaim(version, WaiterStatus.Closed))
            {
                waiter.PublishError(_completion.CreateClosedException());
            }
        }
    }

    /// <summary>Completion only, after <see cref="Close"/>: answers every WaitTo caller in <paramref name="queue"/> for good.</summary>
    public void FailWaiting(WaiterQueue<bool> queue)
    {
        while (queue.TryDequeueAny(out Waiter<bool> waiter, out long version))
        {
            if (waiter.TryClaim(version, WaiterStatus.Closed))
            {
                // As in System.Threading.Channels: false after a clean completion, else the completion error.
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
}
