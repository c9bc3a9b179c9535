// RendezvousChannel<T>: an unbuffered channel whose every hand-off is a CAS on a parked waiter.
//
// Algorithm: a lock-free dual queue of parked operations (Scherer & Scott, "Nonblocking Concurrent Data
// Structures with Condition Synchronization", DISC 2004; the fair mode of Java's SynchronousQueue), laid out
// as a growable ring of sequence-stamped slots (Vyukov's bounded MPMC queue) so that parked operations cost no
// allocation: see Parking/WaiterQueue.cs. An arriving operation either claims the oldest parked partner and
// completes it with one CAS on the partner's versioned state (Parking/Waiter.cs), or parks itself; which of
// the two happens is decided by a single CAS on the queue's state word.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Diagnostics;
using Rendezvous.Channels.Parking;

namespace Rendezvous.Channels;

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
/// channel, and with <c>Channel.CreateBounded&lt;T&gt;(0)</c>). At least one side must park: <c>WriteAsync</c>
/// producers work against any consumer, and <c>TryWrite</c>/<c>WaitToWriteAsync</c> producers against
/// <c>ReadAsync</c> consumers and against <see cref="ChannelReader{T}.ReadAllAsync"/>, which here parks one read
/// per item as <c>ReadAsync</c> does (the base class's, and <c>CreateBounded(0)</c>'s, waits with WaitToReadAsync
/// and so never meets a <c>TryWrite</c> producer).</description></item>
/// <item><description>As with <c>Channel.CreateBounded&lt;T&gt;(0)</c>, the reader can count (<c>Count</c> is
/// always 0: nothing is buffered) and can peek: <see cref="ChannelReader{T}.TryPeek"/> shows the item of the oldest
/// writer parked in <c>WriteAsync</c> without taking it (a canceled writer's item is never shown).</description></item>
/// <item><description>Completion is mandatory and immediate: <see cref="ChannelWriter{T}.TryComplete"/> wakes
/// every parked reader and writer at once. Parked and later reads and writes throw
/// <see cref="ChannelClosedException"/> (inner exception: the completion error); the items of failed writes
/// are never delivered; <see cref="ChannelReader{T}.Completion"/> completes at once, since an unbuffered
/// channel holds nothing to drain.</description></item>
/// <item><description>A parked operation whose token is canceled ends with
/// <see cref="OperationCanceledException"/> and leaves the channel as if it had never come: when a hand-off
/// races a cancellation, exactly one of them wins.</description></item>
/// <item><description>Parked operations: up to 8,388,608 (2^23) reads, writes, <c>WaitToReadAsync</c> calls and
/// <c>WaitToWriteAsync</c> calls of each kind may be parked at once. <c>ReadAsync</c>, <c>WriteAsync</c>,
/// <c>WaitToReadAsync</c> or <c>WaitToWriteAsync</c> that would park one more throws
/// <see cref="InvalidOperationException"/> at its call site; only that operation is refused, and the channel
/// works on unchanged (the next one parks once others have left; completion still wakes everyone).</description></item>
/// </list>
/// <para>Continuations of woken operations run asynchronously, never inside the operation that wakes them: on
/// the thread pool's global queue by default, as with <c>Channel.CreateBounded</c>; or, in
/// <see cref="ContinuationMode.Chained"/> mode (<see cref="RendezvousChannelOptions"/>), when the waker is itself a
/// channel continuation, next on the same worker, right after the waker's continuation returns (continuation
/// chaining, Go's <c>runnext</c>; see README.md for its trade-offs and the switch that turns it off).</para>
/// </remarks>
/// <typeparam name="T">The type of the items.</typeparam>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
[DebuggerTypeProxy(typeof(RendezvousChannel<>.DebugView))]
public sealed class RendezvousChannel<T> : Channel<T>, IReadiness, ILeakTrackable
{
    private readonly ChannelCompletion _completion = new();

    /// <summary>Parked reads and writes (never both at once) and parked WaitTo callers.</summary>
    private readonly ParkingLot<T> _lot;

    /// <summary>Its entry in the live-channel registry (a leak tracker when detection is on); null when metrics and leak detection are off.</summary>
    private readonly ChannelRegistration? _registration;

    /// <summary>Creates an open rendezvous channel whose woken continuations run on the thread pool (<see cref="ContinuationMode.ThreadPool"/>).</summary>
    public RendezvousChannel()
        : this(mayChain: false)
    {
    }

    /// <summary>Creates an open rendezvous channel as <paramref name="options"/> say (copied: later changes to them do not apply).</summary>
    /// <param name="options">The continuation mode.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public RendezvousChannel(RendezvousChannelOptions options)
        : this(NotNull(options).MayChain)
    {
    }

    private RendezvousChannel(bool mayChain)
    {
        _lot = new ParkingLot<T>(_completion, this, mayChain);
        Reader = new RendezvousReader(this);
        Writer = new RendezvousWriter(this);
        _registration = ChannelRegistration.TryCreate(this);
    }

    /// <summary>The parking layer, for tests (queue capacities, a lowered limit on parked operations).</summary>
    internal ParkingLot<T> Lot => _lot;

    private static RendezvousChannelOptions NotNull(RendezvousChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }

    int ILeakTrackable.BlockedReaders => _lot.BlockedReaders;

    int ILeakTrackable.BlockedWriters => _lot.BlockedWriters;

    long ILeakTrackable.OldestParkTimestamp => _lot.OldestParkTimestamp;

    /// <summary>A read can proceed when a writer is parked, a write when a reader is.</summary>
    bool IReadiness.IsReady(WaiterKind kind) =>
        _lot.HasParked(kind == WaiterKind.Reader ? WaiterKind.Writer : WaiterKind.Reader);

    /// <summary>An unbuffered channel holds nothing, so it is drained as soon as it is completed.</summary>
    bool IReadiness.IsDrained => _completion.IsDone;

    private bool TryCompleteCore(Exception? error)
    {
        if (!_completion.TryMarkDone(error))
        {
            return false;
        }

        // Close before draining: once closed, nothing can park, so the drain reaches every parked waiter
        // and nothing waits forever. An unbuffered channel holds nothing, so it is drained at once.
        _lot.Close();
        _lot.FailAll();
        _completion.SignalDrained();
        _registration?.Disarm();
        return true;
    }

    private string DebuggerDisplay =>
        $"{(_completion.IsDone ? "Completed" : "Open")}, BlockedReaders = {_lot.BlockedReaders}, BlockedWriters = {_lot.BlockedWriters}";

    /// <summary>The reader side: TryRead takes a parked writer's item; ReadAsync parks until a writer comes.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RendezvousReader : ChannelReader<T>, IParkingReader<T>
    {
        private readonly RendezvousChannel<T> _channel;

        internal RendezvousReader(RendezvousChannel<T> channel) => _channel = channel;

        public override Task Completion => _channel._completion.Task;

        /// <summary>True, as for <c>Channel.CreateBounded&lt;T&gt;(0)</c>: an unbuffered channel can count what it holds.</summary>
        public override bool CanCount => true;

        /// <summary>Always 0: an unbuffered channel holds no item; parked writers' items are theirs until taken.</summary>
        public override int Count => 0;

        /// <summary>True, as for <c>Channel.CreateBounded&lt;T&gt;(0)</c>: TryPeek shows the oldest parked writer's item.</summary>
        public override bool CanPeek => true;

        public override bool TryPeek(out T item) => _channel._lot.TryPeekParkedWriter(out item);

        ParkingLot<T> IParkingReader<T>.Lot => _channel._lot;

        public override bool TryRead(out T item) => _channel._lot.TryTakeFromParkedWriter(out item);

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

        /// <summary>One parked read per item, as ReadAsync; ends without an exception at a clean completion.</summary>
        public override IAsyncEnumerable<T> ReadAllAsync(CancellationToken cancellationToken = default) =>
            new ReadAllEnumerator<T>(this, cancellationToken);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ReadAttempt ReadOrPark(CancellationToken cancellationToken, out T item, out Waiter<T>? waiter, out long version)
        {
            RendezvousChannel<T> channel = _channel;
            waiter = null;
            version = 0;
            while (true)
            {
                if (channel._lot.TryTakeFromParkedWriter(out item))
                {
                    waiter?.Recycle();
                    waiter = null;
                    return ReadAttempt.Item;
                }

                if (waiter is null)
                {
                    if (channel._completion.IsDone)
                    {
                        return ReadAttempt.Done;
                    }

                    waiter = channel._lot.RentReader(out version);
                }

                switch (channel._lot.TryPark(waiter, version, cancellationToken))
                {
                    case EnqueueResult.Enqueued:
                        // A parked read is what WaitToWrite callers wait for: wake them, after our parking CAS
                        // (see ParkingLot for why that order loses no wake-up).
                        channel._lot.WakeWaitToCallers(WaiterKind.Writer);
                        return ReadAttempt.Parked;
                    case EnqueueResult.Closed:
                        waiter.Recycle();
                        waiter = null;
                        return ReadAttempt.Done;
                    default:
                        // Writers parked between our look and our CAS: go and meet them.
                        continue;
                }
            }
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            _channel._lot.WaitAsync(WaiterKind.Reader, cancellationToken);
    }

    /// <summary>The writer side: TryWrite hands to a parked reader; WriteAsync parks until a reader comes.</summary>
    [DebuggerDisplay("{_channel.DebuggerDisplay,nq}")]
    private sealed class RendezvousWriter : ChannelWriter<T>
    {
        private readonly RendezvousChannel<T> _channel;

        internal RendezvousWriter(RendezvousChannel<T> channel) => _channel = channel;

        public override bool TryComplete(Exception? error = null) => _channel.TryCompleteCore(error);

        public override bool TryWrite(T item) =>
            !_channel._completion.IsDone && _channel._lot.TryGiveToParkedReader(item);

        public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            RendezvousChannel<T> channel = _channel;
            if (channel._completion.IsDone)
            {
                return channel._completion.ClosedWriteResult();
            }

            Waiter<T>? waiter = null;
            long version = 0;
            while (true)
            {
                if (channel._lot.TryGiveToParkedReader(item))
                {
                    waiter?.Recycle();
                    return default;
                }

                waiter ??= channel._lot.RentWriter(item, out version);
                switch (channel._lot.TryPark(waiter, version, cancellationToken))
                {
                    case EnqueueResult.Enqueued:
                        // A parked write is what WaitToRead callers wait for: wake them, after our parking CAS.
                        channel._lot.WakeWaitToCallers(WaiterKind.Reader);
                        return waiter.AsWriteValueTask(version);
                    case EnqueueResult.Closed:
                        waiter.Recycle();
                        return channel._completion.ClosedWriteResult();
                    default:
                        // Readers parked between our look and our CAS: go and meet them.
                        continue;
                }
            }
        }

        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
            _channel._lot.WaitAsync(WaiterKind.Writer, cancellationToken);
    }

    private sealed class DebugView(RendezvousChannel<T> channel)
    {
        public bool IsCompleted => channel._completion.IsDone;

        public int BlockedReaders => channel._lot.BlockedReaders;

        public int BlockedWriters => channel._lot.BlockedWriters;
    }
}
