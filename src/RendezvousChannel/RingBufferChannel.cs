// RingBufferChannel<T>: a bounded multi-producer, multi-consumer channel over a lock-free ring.
//
// Algorithm: items live in Vyukov's bounded MPMC queue (sequence-stamped slots; head and tail claimed by CAS,
// each on its own padded cache-line pair), with crossbeam-channel's closable tail for completion: see
// Ring/BoundedItemRing.cs. Operations that cannot proceed park in the same lock-free dual queue of
// pooled, versioned waiters that RendezvousChannel<T> uses (Parking/ParkingLot.cs). Parked readers exist
// only while the ring is empty and parked writers only while it is full; whoever changes that moves items
// between the ring and the parked waiters, oldest first ("balancing", below).

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Diagnostics;
using Rendezvous.Channels.Parking;
using Rendezvous.Channels.Ring;
using Rendezvous.Channels.Selection;

namespace Rendezvous.Channels;

/// <summary>
/// A bounded channel for many writers and many readers over a lock-free ring buffer. Allocation-free in
/// steady state, and a drop-in <see cref="Channel{T}"/> with the semantics of
/// <c>Channel.CreateBounded&lt;T&gt;(capacity)</c> in <see cref="BoundedChannelFullMode.Wait"/> mode.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>FIFO: items come out in the order their writes were accepted. <c>TryWrite</c> fails when
/// the channel holds <see cref="Capacity"/> items (the capacity is exact, even though the ring inside is a
/// power of two); <c>WriteAsync</c> and <c>WaitToWriteAsync</c> park while it is full, <c>ReadAsync</c> and
/// <c>WaitToReadAsync</c> while it is empty. Parked writers and parked readers are served first come, first
/// served.</description></item>
/// <item><description>Completion: after <c>Complete</c>, items already accepted still drain in order; new and
/// parked writes fail with <see cref="ChannelClosedException"/> and the items of parked writes are never
/// delivered; once drained, reads throw <see cref="ChannelClosedException"/> (inner exception: the
/// completion error), <c>WaitToReadAsync</c> returns <c>false</c>, and <see cref="ChannelReader{T}.Completion"/>
/// completes. A write racing <c>Complete</c> is either accepted (and will be read) or fails.</description></item>
/// <item><description>Cancellation: a canceled parked write enqueues nothing and a canceled parked read takes
/// nothing; a hand-off racing a cancellation has exactly one winner.</description></item>
/// <item><description>Parked operations: up to 8,388,608 (2^23) reads, writes, <c>WaitToReadAsync</c> calls and
/// <c>WaitToWriteAsync</c> calls of each kind may be parked at once. <c>ReadAsync</c>, <c>WriteAsync</c>,
/// <c>WaitToReadAsync</c> or <c>WaitToWriteAsync</c> that would park one more throws
/// <see cref="InvalidOperationException"/> at its call site; only that operation is refused, and the channel
/// works on unchanged (the next one parks once others have left; completion still wakes everyone).</description></item>
/// </list>
/// </remarks>
/// <typeparam name="T">The type of the items.</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(RingBufferChannel<>.DebugView))]
public sealed class RingBufferChannel<T> : Channel<T>, IReadiness, ILeakTrackable, ISelectPort<T>
{
    /// <summary>The largest capacity: its ring, the next power of two, must still be an array.</summary>
    private const int MaxCapacity = 1 << 30;

    /// <summary>The accepted items, in order. Closed (no more enqueues) as the first step of completion.</summary>
    private readonly BoundedItemRing<T> _ring;

    private readonly ChannelCompletion _completion = new();

    /// <summary>Readers parked while the ring is empty or writers parked while it is full; WaitTo callers.</summary>
    private readonly ParkingLot<T> _lot;

    /// <summary>Its entry in the live-channel registry (a leak tracker when detection is on); null when metrics and leak detection are off.</summary>
    private readonly ChannelRegistration? _registration;

    /// <summary>
    /// Creates an open channel that holds at most <paramref name="capacity"/> items, whose woken continuations run on
    /// the thread pool (<see cref="ContinuationMode.ThreadPool"/>).
    /// </summary>
    /// <param name="capacity">The exact number of items the channel can hold; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1 or more than 2^30.</exception>
    public RingBufferChannel(int capacity)
        : this(ValidateCapacity(capacity), mayChain: false)
    {
    }

    /// <summary>Creates an open channel as <paramref name="options"/> say (copied: later changes to them do not apply).</summary>
    /// <param name="options">The capacity and the continuation mode.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public RingBufferChannel(RingBufferChannelOptions options)
        : this(NotNull(options).Capacity, options.MayChain)
    {
    }

    private RingBufferChannel(int capacity, bool mayChain)
    {
        _ring = new BoundedItemRing<T>(capacity);
        _lot = new ParkingLot<T>(_completion, this, mayChain);
        Reader = new RingBufferReader(this);
        Writer = new RingBufferWriter(this);
        _registration = ChannelRegistration.TryCreate(this);
    }

    /// <summary>The exact number of items the channel can hold.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>The parking layer, for tests (queue capacities, a lowered limit on parked operations).</summary>
    internal ParkingLot<T> Lot => _lot;

    int ILeakTrackable.BlockedReaders => _lot.BlockedReaders;

    int ILeakTrackable.BlockedWriters => _lot.BlockedWriters;

    long ILeakTrackable.OldestParkTimestamp => _lot.OldestParkTimestamp;

    int ILeakTrackable.BufferedItems => _ring.Count;

    /// <summary>A read can proceed when the ring holds an item, a write when it has room and no writer is parked ahead.</summary>
    bool IReadiness.IsReady(WaiterKind kind) =>
        kind == WaiterKind.Reader ? !_ring.IsEmpty : _ring.HasRoom && !_lot.HasParked(WaiterKind.Writer);

    /// <summary>Drained once the ring is closed (the first step of completion) and empty.</summary>
    bool IReadiness.IsDrained => _ring.IsClosedAndEmpty;

    // The channel as select clauses see it (Selection/): TryRead and TryWrite; a clause waits among the WaitTo callers.
    bool ISelectPort<T>.IsRendezvous => false;

    ParkingLot<T> ISelectPort<T>.Lot => _lot;

    ChannelCompletion ISelectPort<T>.Completion => _completion;

    bool ISelectPort<T>.TryReadNow(out T item) => TryReadCore(out item);

    bool ISelectPort<T>.TryWriteNow(T item) => TryWriteCore(item);

    bool ISelectPort<T>.IsReadClosed => _ring.IsClosedAndEmpty;

    bool ISelectPort<T>.IsWriteClosed => _completion.IsDone;

    bool ISelectPort<T>.IsReady(WaiterKind kind) => ((IReadiness)this).IsReady(kind);

    /// <summary>TryRead, for the reader and for select clauses: an item now, parked writers served first.</summary>
    private bool TryReadCore(out T item)
    {
        ServeParkedFirst();
        if (_ring.TryDequeue(out item))
        {
            OnItemRemoved();
            return true;
        }

        return false;
    }

    /// <summary>TryWrite, for the writer and for select clauses: into the ring now, unless older writers are parked.</summary>
    private bool TryWriteCore(T item)
    {
        if (_lot.AnyParked && ServeParkedWritersFirst())
        {
            // Older parked writers go first: to a newcomer the channel is full.
            return false;
        }

        if (_ring.TryEnqueue(item) == RingEnqueueResult.Enqueued)
        {
            OnItemAdded();
            return true;
        }

        return false;
    }

    /// <summary>After an item entered the ring: serve parked readers, or wake WaitToRead callers.</summary>
    private void OnItemAdded()
    {
        // Our enqueue CAS precedes these reads, and a reader parks with a CAS before re-checking the ring,
        // so one of us sees the other (Dekker; see ParkingLot).
        if (_lot.AnyParked)
        {
            Balance();
        }
        else
        {
            _lot.WakeWaitToCallers(WaiterKind.Reader);
        }
    }

    /// <summary>After an item left the ring: serve parked writers, or wake WaitToWrite callers; finish a drain.</summary>
    private void OnItemRemoved()
    {
        if (_lot.AnyParked)
        {
            Balance();
        }
        else
        {
            _lot.WakeWaitToCallers(WaiterKind.Writer);
        }

        if (_completion.IsDone && _ring.IsClosedAndEmpty)
        {
            OnDrained();
        }
    }

    /// <summary>Before an operation of its own: let parked operations go first (FIFO), if there are any.</summary>
    private void ServeParkedFirst()
    {
        if (_lot.AnyParked)
        {
            Balance();
        }
    }

    /// <summary>Serves parked operations, then says whether writers are still parked (the ring is full to newcomers).</summary>
    private bool ServeParkedWritersFirst()
    {
        Balance();
        return _lot.HasParked(WaiterKind.Writer);
    }

    /// <summary>
    /// Restores "parked readers only while empty, parked writers only while full" after a race broke it: moves
    /// ring items to the oldest parked readers and the items of the oldest parked writers into the ring, then
    /// wakes WaitTo callers whose condition holds. Any thread may run it; every step is a claim by CAS (in
    /// the parking lot, which also parks again a claimed waiter that a racing thread left nothing for).
    /// </summary>
    private void Balance()
    {
        var items = new RingItems(_ring);
        bool moved;
        do
        {
            moved = false;
            while (!_ring.IsEmpty && _lot.TryServeOldestReader(items))
            {
                moved = true;
            }

            while (_ring.HasRoom && _lot.TryServeOldestWriter(items))
            {
                moved = true;
            }
        }
        while (moved);

        _lot.WakeWaitToCallers(WaiterKind.Reader);
        _lot.WakeWaitToCallers(WaiterKind.Writer);
        if (_completion.IsDone && _ring.IsClosedAndEmpty)
        {
            OnDrained();
        }
    }

    private bool TryCompleteCore(Exception? error)
    {
        if (!_completion.TryMarkDone(error))
        {
            return false;
        }

        // Close the ring first: from here on a write is either already accepted (and will drain) or fails.
        _ring.Close();
        // Then close the parking lot, so that nothing parks from now on and the drains below reach everyone.
        _lot.Close();
        if (_lot.HasParked(WaiterKind.Writer))
        {
            // Parked writes were never accepted: they fail and their items are not delivered.
            _lot.FailParked();
        }

        _lot.FailWaitToCallers(WaiterKind.Writer);
        // Parked readers take what is left; Balance also finishes the drain if the ring is already empty.
        Balance();
        _registration?.Disarm();
        return true;
    }

    /// <summary>The ring is closed and empty: nothing will ever be read again. Idempotent.</summary>
    private void OnDrained()
    {
        Debug.Assert(_completion.IsDone && _ring.IsClosedAndEmpty);
        _lot.FailParked();
        _lot.FailWaitToCallers(WaiterKind.Reader);
        _completion.SignalDrained();
    }

    /// <summary>Returns <paramref name="capacity"/> if a ring can hold that many items; throws otherwise.</summary>
    internal static int ValidateCapacity(int capacity)
    {
        if (capacity < 1 || capacity > MaxCapacity)
        {
            ThrowCapacityOutOfRange(capacity);
        }

        return capacity;
    }

    private static RingBufferChannelOptions NotNull(RingBufferChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }

    [DoesNotReturn]
    private static void ThrowCapacityOutOfRange(int capacity) =>
        throw new ArgumentOutOfRangeException(
            nameof(capacity),
            capacity,
            capacity < 1
                ? "The capacity must be at least 1. For capacity 0, an unbuffered channel where every write waits for a reader, use RendezvousChannel<T>."
                : $"The capacity must be at most {MaxCapacity}: the ring's slot array is the next power of two.");

    private string DebuggerDisplay =>
        $"{(_completion.IsDone ? "Completed" : "Open")}, Count = {_ring.Count}/{_ring.Capacity}, BlockedReaders = {_lot.BlockedReaders}, BlockedWriters = {_lot.BlockedWriters}";

    /// <summary>The reader side.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RingBufferReader : ChannelReader<T>, IParkingReader<T>, ISelectSide<T>
    {
        private readonly RingBufferChannel<T> _channel;

        internal RingBufferReader(RingBufferChannel<T> channel) => _channel = channel;

        ISelectPort<T> ISelectSide<T>.Port => _channel;

        public override Task Completion => _channel._completion.Task;

        public override bool CanCount => true;

        public override int Count => _channel._ring.Count;

        public override bool CanPeek => true;

        ParkingLot<T> IParkingReader<T>.Lot => _channel._lot;

        public override bool TryPeek(out T item) => _channel._ring.TryPeek(out item);

        public override bool TryRead(out T item) => _channel.TryReadCore(out item);

        public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<T>(cancellationToken);
            }

            return ReadOrPark(cancellationToken, out T item, out Waiter<T>? waiter, out long version) switch
            {
                ReadAttempt.Item => new ValueTask<T>(item),
                ReadAttempt.Parked => waiter!.AsValueTask(version),
                _ => _channel._completion.ClosedReadResult<T>(),
            };
        }

        /// <summary>One parked read per item, as ReadAsync; ends without an exception once completed and drained.</summary>
        public override IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) =>
            new ReadAllEnumerator<T>(this, cancellationToken);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ReadAttempt ReadOrPark(CancellationToken cancellationToken, out T item, out Waiter<T>? waiter, out long version)
        {
            RingBufferChannel<T> channel = _channel;
            waiter = null;
            version = 0;
            while (true)
            {
                channel.ServeParkedFirst();
                if (channel._ring.TryDequeue(out item))
                {
                    waiter?.Recycle();
                    waiter = null;
                    channel.OnItemRemoved();
                    return ReadAttempt.Item;
                }

                if (channel._ring.IsClosedAndEmpty)
                {
                    waiter?.Recycle();
                    waiter = null;
                    return ReadAttempt.Done;
                }

                waiter ??= channel._lot.RentReader(out version);
                if (channel._lot.TryPark(waiter, version, cancellationToken) == EnqueueResult.Enqueued)
                {
                    // Re-check after parking: an item added before our CAS by a writer that saw no parked reader.
                    if (!channel._ring.IsEmpty)
                    {
                        channel.Balance();
                    }

                    return ReadAttempt.Parked;
                }

                // Writers are parked (the ring filled meanwhile) or the channel completed: look again.
            }
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _channel._lot.WaitAsync(WaiterKind.Reader, cancellationToken);
    }

    /// <summary>The writer side.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RingBufferWriter : ChannelWriter<T>, ISelectSide<T>
    {
        private readonly RingBufferChannel<T> _channel;

        internal RingBufferWriter(RingBufferChannel<T> channel) => _channel = channel;

        ISelectPort<T> ISelectSide<T>.Port => _channel;

        public override bool TryComplete(Exception? error = null) => _channel.TryCompleteCore(error);

        public override bool TryWrite(T item) => _channel.TryWriteCore(item);

        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            RingBufferChannel<T> channel = _channel;
            Waiter<T>? waiter = null;
            long version = 0;
            while (true)
            {
                // Older parked writers go first: if any are still parked after serving them, the ring is full
                // to a newcomer. (One read of the queue state when nothing is parked, the common case.)
                if (!channel._lot.AnyParked || !channel.ServeParkedWritersFirst())
                {
                    switch (channel._ring.TryEnqueue(item))
                    {
                        case RingEnqueueResult.Enqueued:
                            waiter?.Recycle();
                            channel.OnItemAdded();
                            return default;
                        case RingEnqueueResult.Closed:
                            waiter?.Recycle();
                            return channel._completion.ClosedWriteResult();
                    }
                }

                waiter ??= channel._lot.RentWriter(item, out version);
                switch (channel._lot.TryPark(waiter, version, cancellationToken))
                {
                    case EnqueueResult.Enqueued:
                        // Re-check after parking: room made before our CAS by a reader that saw no parked writer.
                        if (channel._ring.HasRoom)
                        {
                            channel.Balance();
                        }

                        return waiter.AsWriteValueTask(version);
                    case EnqueueResult.Closed:
                        waiter.Recycle();
                        return channel._completion.ClosedWriteResult();
                }

                // Readers are parked (the ring emptied meanwhile): look again.
            }
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            _channel._lot.WaitAsync(WaiterKind.Writer, cancellationToken);
    }

    /// <summary>The ring as the parking lot serves parked operations from it; a struct, so every call is direct.</summary>
    private readonly struct RingItems(BoundedItemRing<T> ring) : IItemBuffer<T>
    {
        public bool TryTake(out T item) => ring.TryDequeue(out item);

        public BufferAddResult TryAdd(T item) => ring.TryEnqueue(item) switch
        {
            RingEnqueueResult.Enqueued => BufferAddResult.Added,
            RingEnqueueResult.Closed => BufferAddResult.Closed,
            _ => BufferAddResult.Full,
        };

        public bool IsClosedAndEmpty => ring.IsClosedAndEmpty;
    }

    private sealed class DebugView(RingBufferChannel<T> channel)
    {
        public bool IsCompleted => channel._completion.IsDone;

        public int Count => channel._ring.Count;

        public int Capacity => channel._ring.Capacity;

        public int BlockedReaders => channel._lot.BlockedReaders;

        public int BlockedWriters => channel._lot.BlockedWriters;
    }
}
