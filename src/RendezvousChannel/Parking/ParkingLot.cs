// ParkingLot<T>: the parking layer's interface to the channels: park, claim a partner, serve from a buffer, wake, fail.
//
// The no-lost-wake-up rule it enforces (class remarks) is the Dekker pattern: each side publishes with a CAS,
// then looks at the other.

using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// The parking layer's one door: everything a channel needs to park operations and wake them, shared by
/// <see cref="RendezvousChannel{T}"/> and <see cref="RingBufferChannel{T}"/>. It owns the dual queue of parked
/// reads and writes, the queues of WaitTo callers and the waiter pools, and offers them to the channels as
/// intents: claim the oldest parked partner, park, serve parked operations from a buffer (parking again one
/// that cannot be served), wake WaitTo callers, fail everything on completion. No channel touches a queue.
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
    private readonly WaiterQueue<T> _parked = new();

    /// <summary>WaitToReadAsync callers, woken with <c>true</c> when something may be read.</summary>
    private readonly WaiterQueue<bool> _waitingToRead = new();

    /// <summary>WaitToWriteAsync callers, woken with <c>true</c> when something may be written.</summary>
    private readonly WaiterQueue<bool> _waitingToWrite = new();

    private readonly WaiterPool<T> _pool = new();
    private readonly WaiterPool<bool> _signalPool = new();
    private readonly ChannelCompletion _completion;
    private readonly IReadiness _readiness;

    /// <summary>Whether the continuations of this channel's woken operations may be chained (its <see cref="ContinuationMode"/>).</summary>
    private readonly bool _mayChain;

    public ParkingLot(ChannelCompletion completion, IReadiness readiness, bool mayChain)
    {
        _completion = completion;
        _readiness = readiness;
        _mayChain = mayChain;
    }

    /// <summary>Whether the channel chains the continuations of its woken operations (<see cref="ContinuationMode.Chained"/>).</summary>
    public bool MayChain => _mayChain;

    /// <summary>Readers parked in ReadAsync or WaitToReadAsync (a racy snapshot, for diagnostics).</summary>
    public int BlockedReaders => _parked.CountLive(WaiterKind.Reader) + _waitingToRead.CountLive(WaiterKind.Reader);

    /// <summary>Writers parked in WriteAsync or WaitToWriteAsync (a racy snapshot, for diagnostics).</summary>
    public int BlockedWriters => _parked.CountLive(WaiterKind.Writer) + _waitingToWrite.CountLive(WaiterKind.Writer);

    /// <summary>
    /// When the longest-parked live operation of any kind parked (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp), or 0 if none is parked or park times are not recorded: a racy snapshot, for diagnostics.
    /// </summary>
    public long OldestParkTimestamp =>
        Oldest(_parked.OldestLiveParkTimestamp(), Oldest(_waitingToRead.OldestLiveParkTimestamp(), _waitingToWrite.OldestLiveParkTimestamp()));

    /// <summary>Whether any read or write is parked, live or dead (one volatile read).</summary>
    public bool AnyParked => !_parked.IsEmpty;

    /// <summary>Whether reads (or writes) are parked, live or dead (one volatile read).</summary>
    public bool HasParked(WaiterKind kind) => _parked.HasParked(kind);

    /// <summary>The slots of the three queues' rings (a racy snapshot): what parking retains, for tests.</summary>
    internal int QueueCapacity => _parked.Capacity + _waitingToRead.Capacity + _waitingToWrite.Capacity;

    /// <summary>The slots of the parked reads' and writes' ring (a racy snapshot), for tests.</summary>
    internal int ParkedCapacity => _parked.Capacity;

    /// <summary>
    /// Tests only, before first use: lowers the number of operations of one kind that may be parked at once (in
    /// ReadAsync/WriteAsync, or in one WaitTo queue) from <see cref="WaiterQueue{T}.MaxCapacity"/> to
    /// <paramref name="limit"/> (a power of two, at least <see cref="WaiterQueue{T}.InitialCapacity"/>).
    /// </summary>
    internal void LimitParkedOperations(int limit)
    {
        _parked.LimitCapacity(limit);
        _waitingToRead.LimitCapacity(limit);
        _waitingToWrite.LimitCapacity(limit);
    }

    /// <summary>Rents a waiter for a read that is about to park.</summary>
    public Waiter<T> RentReader(out long version)
    {
        Waiter<T> waiter = _pool.Rent();
        version = waiter.Arm(WaiterKind.Reader, _parked, default!, _mayChain);
        return waiter;
    }

    /// <summary>Rents a waiter for a write of <paramref name="item"/> that is about to park.</summary>
    public Waiter<T> RentWriter(T item, out long version)
    {
        Waiter<T> waiter = _pool.Rent();
        version = waiter.Arm(WaiterKind.Writer, _parked, item, _mayChain);
        return waiter;
    }

    /// <summary>
    /// Parks a rented read or write and arms its cancellation, or says why it could not park: operations of
    /// the other kind are parked (meet them instead), or the channel completed. If as many operations as the
    /// queue may hold are parked already, recycles the waiter and throws <see cref="InvalidOperationException"/>:
    /// only this operation is refused, and the channel is unchanged.
    /// </summary>
    public EnqueueResult TryPark(Waiter<T> waiter, long version, CancellationToken cancellationToken)
    {
        EnqueueResult result = _parked.TryEnqueue(waiter.Kind, waiter, version);
        if (result == EnqueueResult.Enqueued)
        {
            waiter.RegisterCancellation(cancellationToken);
        }
        else if (result == EnqueueResult.Full)
        {
            RefuseParking(waiter, _parked);
        }

        return result;
    }

    /// <summary>
    /// A select's clause entry (Selection/RendezvousSelectEntry.cs) parks in the dual queue of reads and writes, as
    /// <paramref name="kind"/> (<see cref="WaiterKind.Either"/> for a select with both a read and a write clause on
    /// this channel). Unlike <see cref="TryPark"/> it refuses nothing itself: the select restarts on any answer but
    /// <see cref="EnqueueResult.Enqueued"/>, and fails on <see cref="EnqueueResult.Full"/>. Its cancellation is the
    /// select's, so nothing is armed here.
    /// </summary>
    public EnqueueResult TryParkSelectEntry(Waiter<T> entry, WaiterKind kind, long version)
    {
        entry.SetSelectKind(kind);
        EnqueueResult result = _parked.TryEnqueue(kind, entry, version);
        if (result == EnqueueResult.Enqueued)
        {
            // A parked read is what WaitToWrite callers wait for, a parked write what WaitToRead callers wait for:
            // wake them after our parking CAS, as ReadAsync and WriteAsync do (class remarks).
            if (kind != WaiterKind.Writer)
            {
                WakeWaitToCallers(WaiterKind.Writer);
            }

            if (kind != WaiterKind.Reader)
            {
                WakeWaitToCallers(WaiterKind.Reader);
            }
        }

        return result;
    }

    /// <summary>
    /// A select's ring clause parks a signal entry among the WaitTo callers of <paramref name="kind"/>
    /// (Selection/RingSelectSignal.cs): woken as they are, it restarts its select. The caller re-checks readiness
    /// after this CAS (class remarks).
    /// </summary>
    public EnqueueResult TryParkSelectSignal(Waiter<bool> signal, WaiterKind kind, long version)
    {
        signal.SetSelectKind(kind);
        return WaitingQueue(kind).TryEnqueue(kind, signal, version);
    }

    /// <summary>An operation that found its queue at the limit: its never-parked waiter goes back, and the caller hears why.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RefuseParking<TResult>(Waiter<TResult> waiter, WaiterQueue<TResult> queue)
    {
        waiter.Recycle();
        ThrowHelper.ThrowInvalidOperation_TooManyParked(queue.CapacityLimit);
    }

    /// <summary>
    /// Claims the oldest parked writer, if any, and takes its item. Dead entries (canceled writers) are
    /// consumed and skipped.
    /// </summary>
    public bool TryTakeFromParkedWriter(out T item)
    {
        // A partner's dequeue: refused once the queue is closed, so that a read racing Complete takes a writer only
        // if it dequeued it before the close, and never a later writer after the drain failed an earlier one.
        while (_parked.TryDequeue(WaiterKind.Writer, out Waiter<T> writer, out long version))
        {
            // Claim the writer: the CAS makes us the only party that ends its WriteAsync, so its item is ours.
            if (writer.TryClaim(version, WaiterStatus.Matched))
            {
                item = writer.OfferedItem;
                // The item is read before publishing: once published, the writer may be recycled.
                writer.Publish();
                return true;
            }
        }

        item = default!;
        return false;
    }

    /// <summary>
    /// An unbuffered channel's TryPeek: the item of the oldest live writer parked in WriteAsync, without claiming it
    /// (the writer stays parked and its item goes to whoever takes it). A canceled writer at the head is dropped
    /// and passed over; false when no live writer is parked. A true answer is an item that a writer parked at some
    /// instant during this call offered (see <see cref="Waiter{T}.TryPeekOffer"/>); by the time it returns, a
    /// reader may have taken it, as with any peek of a concurrent channel.
    /// </summary>
    public bool TryPeekParkedWriter(out T item)
    {
        SpinWait spinner = default;
        while (_parked.TryPeekHead(WaiterKind.Writer, out Waiter<T>? writer, out long version))
        {
            if (writer is null)
            {
                // The head entry is being written or has just been taken: a few instructions away; look again.
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            if (writer.TryPeekOffer(version, out item))
            {
                return true;
            }

            // The head writer was claimed: by a reader (who dequeued it, so the head has moved on), by its
            // cancellation (a dead entry, dropped here so that we can look past it), or by the completion. Each
            // round thus sees the queue change, so the loop ends.
            _parked.TrimDeadHead();
        }

        item = default!;
        return false;
    }

    /// <summary>Claims the oldest parked reader, if any, and gives it <paramref name="item"/>.</summary>
    public bool TryGiveToParkedReader(T item)
    {
        // A partner's dequeue, refused once the queue is closed (see TryTakeFromParkedWriter).
        while (_parked.TryDequeue(WaiterKind.Reader, out Waiter<T> reader, out long version))
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
    /// A buffering channel's balancing step: claims the oldest parked reader and gives it the oldest item of
    /// <paramref name="buffer"/>. False when no reader is parked; true when an entry was consumed, whether it was
    /// served, found dead, or parked again (at the tail) because another reader took the item it was meant for.
    /// </summary>
    public bool TryServeOldestReader<TBuffer>(TBuffer buffer)
        where TBuffer : struct, IItemBuffer<T>
    {
        // Also once closed: parked readers take what the closed buffer still holds.
        if (!_parked.TryDequeueToServe(WaiterKind.Reader, out Waiter<T> reader, out long version))
        {
            return false;
        }

        // Claim the reader first, so that its cancellation cannot win after we have taken an item for it.
        if (reader.TryClaim(version, WaiterStatus.Matched))
        {
            if (buffer.TryTake(out T item))
            {
                reader.PublishResult(item);
            }
            else
            {
                // Another reader took the item we saw; this one stays parked, at the tail.
                Repark(reader, version, buffer);
            }
        }

        return true;
    }

    /// <summary>
    /// A buffering channel's balancing step: claims the oldest parked writer and moves its item into
    /// <paramref name="buffer"/>. False when no writer is parked; true when an entry was consumed, whether it was
    /// served, found dead, or parked again (at the tail) because another writer filled the room it was meant for.
    /// </summary>
    public bool TryServeOldestWriter<TBuffer>(TBuffer buffer)
        where TBuffer : struct, IItemBuffer<T>
    {
        // Also once closed: the closed buffer refuses the writer's item, and the write fails.
        if (!_parked.TryDequeueToServe(WaiterKind.Writer, out Waiter<T> writer, out long version))
        {
            return false;
        }

        // Claim the writer first, so that its cancellation cannot win after its item was added.
        if (writer.TryClaim(version, WaiterStatus.Matched) && !TryEndClaimedWrite(writer, buffer))
        {
            // Another writer filled the room we saw; this one stays parked, at the tail.
            Repark(writer, version, buffer);
        }

        return true;
    }

    /// <summary>
    /// Claimer only: moves a claimed writer's item into <paramref name="buffer"/> and ends its write, successfully
    /// or, if the buffer is closed, with the closed exception. False, with nothing changed, if the buffer is full.
    /// </summary>
    private bool TryEndClaimedWrite<TBuffer>(Waiter<T> writer, TBuffer buffer)
        where TBuffer : struct, IItemBuffer<T>
    {
        switch (buffer.TryAdd(writer.OfferedItem))
        {
            case BufferAddResult.Added:
                writer.Publish();
                return true;
            case BufferAddResult.Closed:
                writer.PublishError(_completion.CreateClosedException());
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Parks again a waiter that we claimed but could not serve. If it cannot park (the other kind is parked
    /// now, or the channel completed), it is served or failed here instead.
    /// </summary>
    private void Repark<TBuffer>(Waiter<T> waiter, long version, TBuffer buffer)
        where TBuffer : struct, IItemBuffer<T>
    {
        SpinWait spinner = default;
        while (waiter.ReleaseClaim(version))
        {
            EnqueueResult parked = _parked.TryEnqueue(waiter.Kind, waiter, version);
            if (parked == EnqueueResult.Enqueued)
            {
                // The caller's balancing loop re-checks the buffer after this CAS, so a change that raced it is seen.
                return;
            }

            // Claim it back; if its cancellation got there first, it is done.
            if (!waiter.TryClaim(version, WaiterStatus.Matched))
            {
                return;
            }

            if (parked == EnqueueResult.Full)
            {
                // The queue refilled to its limit behind our back: this operation, already handed its ValueTask,
                // ends with the refusal a newcomer would get at its call site.
                waiter.PublishError(ThrowHelper.CreateTooManyParkedException(_parked.CapacityLimit));
                return;
            }

            if (waiter.Kind == WaiterKind.Reader)
            {
                // With the buffer empty, the oldest parked writer's item is the next one in FIFO order.
                if (buffer.TryTake(out T item) ||
                    (parked == EnqueueResult.OtherKindParked && TryTakeFromParkedWriter(out item)))
                {
                    waiter.PublishResult(item);
                    return;
                }

                if (parked == EnqueueResult.Closed && buffer.IsClosedAndEmpty)
                {
                    waiter.PublishError(_completion.CreateClosedException());
                    return;
                }
            }
            else
            {
                if (TryEndClaimedWrite(waiter, buffer))
                {
                    return;
                }

                // Full, yet readers are parked: writers that filled the buffer are about to serve them. Let them run.
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    /// <summary>
    /// ReadAllAsync's end of a parked read, "an item, or learn that the channel is done", without throwing:
    /// recycles <paramref name="waiter"/> and returns true with its item, or false with <paramref name="error"/>
    /// null (the channel completed cleanly: the enumeration ends), the completion error (which MoveNextAsync
    /// throws, as <c>WaitToReadAsync</c> does), or the read's own <see cref="OperationCanceledException"/>.
    /// </summary>
    public bool TryEndParkedRead(Waiter<T> waiter, short token, out T item, out Exception? error)
    {
        item = waiter.TakeOutcome(token, out WaiterStatus claim, out Exception? failure);
        if (failure is null)
        {
            error = null;
            return true;
        }

        // A read ends with an error only by its cancellation or by the completion (FailParked, or a Repark that
        // found the ring closed and drained); the closed exception it was given is dropped, never thrown.
        Debug.Assert(claim == WaiterStatus.Canceled || _completion.IsDone, "Only its cancellation or the completion fails a read.");
        error = claim == WaiterStatus.Canceled ? failure : _completion.Error;
        return false;
    }

    /// <summary>The status of the outcome <see cref="TryEndParkedRead"/> will report, for an awaiter that asks first.</summary>
    public ValueTaskSourceStatus ParkedReadStatus(Waiter<T> waiter, short token)
    {
        WaiterStatus claim = waiter.PublishedClaim(token);
        if (claim == WaiterStatus.Pending || !waiter.HasError)
        {
            return claim == WaiterStatus.Pending ? ValueTaskSourceStatus.Pending : ValueTaskSourceStatus.Succeeded;
        }

        // As Waiter.GetStatus reads an error: an OperationCanceledException is Canceled, any other Faulted.
        return claim == WaiterStatus.Canceled ? ValueTaskSourceStatus.Canceled : _completion.Error switch
        {
            null => ValueTaskSourceStatus.Succeeded,
            OperationCanceledException => ValueTaskSourceStatus.Canceled,
            _ => ValueTaskSourceStatus.Faulted,
        };
    }

    /// <summary>ReadAllAsync's answer once the channel is done and drained: false, or the completion error (as WaitToReadAsync).</summary>
    public ValueTask<bool> ReadDoneResult() => _completion.WaitResultWhenDone();

    /// <summary>
    /// WaitToReadAsync / WaitToWriteAsync: completes at once if the channel is ready for <paramref name="kind"/>
    /// (or done), else parks until a <see cref="WakeWaitToCallers"/> or the completion.
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

        WaiterQueue<bool> queue = WaitingQueue(kind);
        Waiter<bool> waiter = _signalPool.Rent();
        long version = waiter.Arm(kind, queue, default, _mayChain);
        EnqueueResult parked = queue.TryEnqueue(kind, waiter, version);
        if (parked == EnqueueResult.Full)
        {
            RefuseParking(waiter, queue);
        }

        if (parked != EnqueueResult.Enqueued)
        {
            // Otherwise a single-kind queue refuses only when it is closed: the channel completed meanwhile.
            waiter.Recycle();
            return kind == WaiterKind.Reader && _readiness.IsReady(kind) ? new ValueTask<bool>(true) : _completion.WaitResultWhenDone();
        }

        waiter.RegisterCancellation(cancellationToken);
#if PLANTED_BUGS
        if (PlantedBugHooks.SkipRecheckAfterParking) { return waiter.AsValueTask(version); }
#endif
        // Re-check after parking (see the class remarks): readiness that arrived before our CAS, and whose
        // maker checked our queue before our CAS, is seen here.
        WakeWhileReady(kind, queue);

        return waiter.AsValueTask(version);
    }

    /// <summary>
    /// Whoever may just have made the channel ready for <paramref name="kind"/> calls this after the CAS that did
    /// it: wakes WaitTo callers of that kind while the channel stays ready (see the class remarks for why that
    /// order rules out a lost wake-up). One volatile read when none is waiting, the common case.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WakeWaitToCallers(WaiterKind kind)
    {
        WaiterQueue<bool> queue = WaitingQueue(kind);
        if (!queue.IsEmpty)
        {
            WakeWhileReady(kind, queue);
        }
    }

    /// <summary>
    /// Wakes WaitTo callers of <paramref name="kind"/> with <c>true</c>, oldest first, for as long as the channel
    /// is ready for them. Checking readiness before each one keeps a late waker from draining, with <c>true</c>,
    /// callers that parked after the item it saw had been taken (a lone reader's TryRead after <c>true</c> then
    /// fails; only a waker preempted between its check and its dequeue still can, and <c>true</c> stays the hint
    /// that the ChannelReader contract makes it). No wake-up is lost by stopping early: whoever makes the
    /// channel ready again wakes the rest, and a caller that parks re-checks readiness itself (class remarks).
    /// </summary>
    private void WakeWhileReady(WaiterKind kind, WaiterQueue<bool> queue)
    {
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
        _parked.Close();
        _waitingToRead.Close();
        _waitingToWrite.Close();
    }

    /// <summary>
    /// Completion only, after <see cref="Close"/>, for a channel that holds nothing: fails every parked read and
    /// write and answers every WaitTo caller for good.
    /// </summary>
    public void FailAll()
    {
        FailParked();
        FailWaitToCallers(WaiterKind.Reader);
        FailWaitToCallers(WaiterKind.Writer);
    }

    /// <summary>
    /// Completion only, after <see cref="Close"/>: ends every parked read or write with the channel's closed
    /// exception. A waiter that a partner or its cancellation claimed first is theirs; a writer claimed here
    /// never delivers its item. Once the queue is closed, no partner can dequeue (<see cref="WaiterQueue{T}.TryDequeue"/>
    /// refuses), so the waiters left to this drain are all those a partner had not dequeued before the close: the
    /// newest ones. The writes delivered are therefore the oldest parked ones, as when a lock makes completion atomic.
    /// </summary>
    public void FailParked()
    {
#if PLANTED_BUGS
        PlantedBugHooks.DropOldestParked(_parked);
#endif
        while (_parked.TryDequeueAny(out Waiter<T> waiter, out long version))
        {
            if (waiter.TryClaim(version, WaiterStatus.Closed))
            {
                waiter.PublishError(_completion.CreateClosedException());
            }
        }
    }

    /// <summary>Completion only, after <see cref="Close"/>: answers every WaitTo caller of <paramref name="kind"/> for good.</summary>
    public void FailWaitToCallers(WaiterKind kind)
    {
        WaiterQueue<bool> queue = WaitingQueue(kind);
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

    /// <summary>The earlier of two park timestamps, where 0 means none.</summary>
    private static long Oldest(long first, long second) => first == 0 || (second != 0 && second < first) ? second : first;

    private WaiterQueue<bool> WaitingQueue(WaiterKind kind) => kind == WaiterKind.Reader ? _waitingToRead : _waitingToWrite;
}
