// Waiter<T>: one parked channel operation, a pooled IValueTaskSource whose outcome is claimed by one CAS.
//
// Modelled on ManualResetValueTaskSourceCore (dotnet/runtime), with a versioned state word in place of its
// completion flag, so that a hand-off, a cancellation and the completion race for the outcome with one winner.

using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

using Rendezvous.Channels.Scheduling;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// One parked channel operation: a pooled, reusable <see cref="IValueTaskSource{TResult}"/> (reads, WaitTo
/// calls) and <see cref="IValueTaskSource"/> (writes). Modelled on ManualResetValueTaskSourceCore, with two
/// differences that the channels need: its outcome is claimed by a single compare-and-swap on a versioned
/// state word (so a hand-off, a cancellation and the channel's completion race with exactly one winner),
/// and it schedules its own continuation as an <see cref="IThreadPoolWorkItem"/>, so waking it allocates
/// nothing.
/// </summary>
/// <remarks>
/// Life of one use: <see cref="Arm"/> (by its owner, who rented it) → parked in a <see cref="WaiterQueue{T}"/>
/// → <see cref="TryClaim"/> by exactly one party → that party sets the result and calls <see cref="Publish"/>
/// → the awaiter's <c>GetResult</c> reads the result and <see cref="Recycle"/>s it, bumping the version so
/// that every stale reference (a queue slot, a late canceller, a second await) fails.
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
internal sealed class Waiter<T> : IValueTaskSource<T>, IValueTaskSource, ITrampolineWorkItem
{
    private const int StatusBits = 2;
    private const long StatusMask = (1 << StatusBits) - 1;

    /// <summary>Marks <see cref="_continuation"/> once the result is published; nothing replaces it until <see cref="Recycle"/>.</summary>
    private static readonly Action<object?> s_published = static _ => Debug.Fail("The published sentinel is never invoked.");

    private static readonly Action<object?, CancellationToken> s_onCanceled =
        static (state, token) => ((Waiter<T>)state!).OnCancellationRequested(token);

    private static readonly ContextCallback s_runInContext = static state => ((Waiter<T>)state!).InvokeContinuation();

    /// <summary>
    /// <c>(version &lt;&lt; 2) | status</c>. The status leaves <see cref="WaiterStatus.Pending"/> only by a CAS that
    /// also matches the version, so a claimer holding a stale token can never claim a recycled waiter.
    /// </summary>
    private long _state;

    /// <summary>The pool this waiter returns to, and the only one it is ever rented from: fixed for its lifetime.</summary>
    private readonly WaiterPool<T> _pool;

    /// <summary>
    /// For a writer, the item it offers (set by <see cref="Arm"/>, read by the claimer through
    /// <see cref="OfferedItem"/> before <see cref="Publish"/>); for a reader or WaitTo waiter, the result (written
    /// by the claimer's <see cref="PublishResult"/>).
    /// </summary>
    private T _item = default!;

    /// <summary>The exception <c>GetResult</c> throws; written by the claimer before <see cref="Publish"/>.</summary>
    private Exception? _error;

    /// <summary>Null while nobody awaits, the awaiter's continuation, or <see cref="s_published"/> once the result is out.</summary>
    private Action<object?>? _continuation;

    /// <summary>
    /// The continuation taken by <see cref="Publish"/> (or by a late <c>OnCompleted</c>) and waiting to run; null
    /// again once it runs. Set before the waiter is handed to its scheduler, which publishes it to the running thread.
    /// </summary>
    private Action<object?>? _scheduledContinuation;

    private object? _continuationState;
    private ExecutionContext? _executionContext;

    /// <summary>A SynchronizationContext or TaskScheduler captured by <c>OnCompleted</c>, or null for the thread pool.</summary>
    private object? _schedulingContext;

    private CancellationToken _cancellationToken;
    private CancellationTokenRegistration _cancellationRegistration;

    /// <summary>The queue this use is parked in, told when a cancellation leaves the waiter dead inside it, so that it can drop it.</summary>
    private WaiterQueue<T>? _owner;

    /// <summary>
    /// When the current use parked (a <see cref="Stopwatch"/> timestamp), or 0 if park times are not recorded
    /// (<see cref="Diagnostics.ParkClock"/>). Written by the owner in <see cref="Arm"/>, before the parking CAS
    /// that publishes it; read only by diagnostics, racily.
    /// </summary>
    private long _parkedAt;

    /// <summary>
    /// Whether this use's continuation may be chained (its channel is in <see cref="ContinuationMode.Chained"/> mode
    /// and the process allows it). Set per use by <see cref="Arm"/>, by the channel that armed it.
    /// </summary>
    private bool _mayChain;

    /// <summary>
    /// Null for a channel operation (the only case on the plain paths, which pay one null check for it). For a
    /// select clause's entry (Selection/), the entry that its selector's state word stands behind: every claim,
    /// look and publication of this waiter goes there instead (see <see cref="SharedClaim{T}"/>), and the waiter's
    /// own state word, pool and continuation are never used. Fixed for the waiter's lifetime.
    /// </summary>
    private readonly SharedClaim<T>? _select;

    public Waiter(WaiterPool<T> pool) => _pool = pool;

    /// <summary>A select clause's entry: owned by its clause, never pooled; claims go to <paramref name="entry"/>'s selector.</summary>
    public Waiter(SharedClaim<T> entry, WaiterKind kind)
    {
        _pool = null!;
        _select = entry;
        Kind = kind;
    }

    /// <summary>Select entries only, by the selecting thread before the entry parks: the side it stands on in this select.</summary>
    public void SetSelectKind(WaiterKind kind)
    {
        Debug.Assert(_select is not null, "Only a select entry changes sides between uses.");
        Kind = kind;
    }

    /// <summary>When the current use parked, or 0 if unknown: for diagnostics (the age of a stuck operation) only.</summary>
    public long ParkedAt => Volatile.Read(ref _parkedAt);

    /// <summary>The pool (one per channel) that made this waiter; it never serves another (see <see cref="WaiterPool{T}"/>).</summary>
    public WaiterPool<T> Pool => _pool;

    /// <summary>
    /// The token the current use hands to its <see cref="ValueTask"/>: the low 16 bits of its version. It comes round
    /// again after 65,536 uses; since the waiter never leaves its channel's pool, a stale ValueTask can meet its
    /// token again only on its own channel (see <see cref="WaiterPool{T}"/>).
    /// </summary>
    public short Token => (short)Version;

    /// <summary>
    /// The current use's version (62 bits, so it never wraps): what queue entries, claimers and cancellation name
    /// a use by. A 16-bit version could wrap while a stale entry of a canceled use waits in some idle channel's
    /// queue and the pooled waiter is reused 65536 times elsewhere; the entry would then name a live use.
    /// </summary>
    public long Version => Volatile.Read(ref _state) >> StatusBits;

    /// <summary>Which side this waiter stands on in its current use.</summary>
    public WaiterKind Kind { get; private set; }

    /// <summary>
    /// Prepares a freshly rented waiter for one operation, to be parked in <paramref name="owner"/>, and returns its
    /// version. A writer offers <paramref name="item"/>; anyone else passes <c>default</c>. <paramref name="mayChain"/>:
    /// whether its continuation may run chained on its waker's worker (see <see cref="ContinuationScheduler"/>).
    /// </summary>
    public long Arm(WaiterKind kind, WaiterQueue<T>? owner, T item, bool mayChain)
    {
        Debug.Assert(_select is null, "A select entry is never armed: its selector's state word is its state.");
        Debug.Assert((_state & StatusMask) == (long)WaiterStatus.Pending, "A rented waiter starts pending.");
        Debug.Assert(_continuation is null && _error is null, "A rented waiter carries nothing from its last use.");
        Kind = kind;
        _owner = owner;
        // A diagnostic's timestamp, folded away by the JIT where configuration turned detection off.
        _parkedAt = Diagnostics.ParkClock.IsRecording ? Stopwatch.GetTimestamp() : 0;
        _mayChain = mayChain;
        // Plain write: the parking CAS that follows publishes it to the claimer (see TryClaim).
        _item = item;
        return Version;
    }

    /// <summary>
    /// Claimer of a writer only: the item the writer offers. Read before <see cref="Publish"/>, after which the
    /// writer may be recycled; a claimer that cannot place the item yet may read it again after parking it again.
    /// </summary>
    public T OfferedItem
    {
        get
        {
            if (_select is not null)
            {
                return _select.OfferedItem;
            }

            AssertClaimed();
            return _item;
        }
    }

    /// <summary>
    /// Anyone, without claiming: the item offered by the writer use <paramref name="version"/>, if that use is pending
    /// (parked, unclaimed) both before and after the item is read. A seqlock-style read: the state word is the sequence.
    /// </summary>
    /// <remarks>
    /// Why a true answer is an item that use really offers: a writer's <see cref="_item"/> is written only by
    /// <see cref="Arm"/> (before the use parks, and published to us by the queue slot we found it in) and by
    /// <see cref="Recycle"/> (after the use was claimed, published and consumed, just before the version moves on).
    /// The state word leaves <c>(version, Pending)</c> at every claim and comes back to it only through
    /// <see cref="ReleaseClaim"/>, whose claimer never writes a writer's item; versions never wrap (62 bits). So if the
    /// state reads <c>(version, Pending)</c> on both sides of our read of the item, no <see cref="Recycle"/> of this
    /// use can have run in between, the item read is the one that use offered, and the use was parked at both instants.
    /// A concurrent claim (a reader taking the item) or cancellation makes the second look fail and we answer false.
    /// </remarks>
    public bool TryPeekOffer(long version, out T item)
    {
        if (_select is not null)
        {
            return _select.TryPeekOffer(version, out item);
        }

        long pending = Pack(version, WaiterStatus.Pending);
        // First look (acquire): the use is parked and unclaimed, and Kind is the one its Arm wrote.
        if (Volatile.Read(ref _state) != pending || Kind != WaiterKind.Writer)
        {
            item = default!;
            return false;
        }

        // A plain read, possibly torn if the use ends meanwhile; the second look tells us whether to trust it.
        item = _item;
        // Full fence: the reads of the item above must not move after the second look below (an acquire alone
        // would let them sink past it).
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _state) != pending)
        {
            item = default!;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Arms cancellation once the waiter is parked. If the token is already canceled the callback runs here,
    /// synchronously, and claims the waiter; if a partner claimed it first, the callback loses and does nothing.
    /// </summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellationToken = cancellationToken;
            // UnsafeRegister: no ExecutionContext capture; CancellationTokenSource reuses its callback nodes,
            // so a registration that is disposed before the next one allocates nothing in steady state.
            _cancellationRegistration = cancellationToken.UnsafeRegister(s_onCanceled, this);
        }
    }

    /// <summary>
    /// Claimer only: undoes a claim that could not be carried out (a waker claimed a parked waiter, then
    /// found nothing to give it), so that the waiter can be parked again. A cancellation requested while
    /// the claim was held found the waiter claimed and gave up; it is honoured here instead. Returns false
    /// if the waiter ended canceled, true if it is pending again and the caller must park it again (a
    /// cancellation racing that answer leaves a dead entry, which is harmless).
    /// </summary>
    public bool ReleaseClaim(long version)
    {
        Debug.Assert(_select is null, "Select entries park only where nobody claims and releases (not in a ring channel's parked queue).");
        AssertClaimed();
        // The waiter is pending again; a cancellation callback that runs from now on claims it. An exchange, not
        // a release write: the read of the token below must not move before it (store-buffering), or a callback
        // that found the waiter claimed and a look that found the token uncanceled could both give up.
        Interlocked.Exchange(ref _state, Pack(version, WaiterStatus.Pending));
        if (_cancellationToken.IsCancellationRequested && TryClaim(version, WaiterStatus.Canceled))
        {
            PublishError(new OperationCanceledException(_cancellationToken));
        }

        return IsPending(version);
    }

    /// <summary>Whether the use identified by <paramref name="version"/> is still parked and unclaimed.</summary>
    public bool IsPending(long version) =>
        _select is null ? Volatile.Read(ref _state) == Pack(version, WaiterStatus.Pending) : _select.IsPending(version);

    /// <summary>
    /// Claims the use identified by <paramref name="version"/>: the single CAS Pending → <paramref name="outcome"/>
    /// that decides who owns the waiter's outcome. Fails if another party claimed it first, or if the
    /// waiter has since been recycled (its version moved on).
    /// </summary>
    public bool TryClaim(long version, WaiterStatus outcome)
    {
        Debug.Assert(outcome != WaiterStatus.Pending, "A claim decides an outcome.");
        if (_select is not null)
        {
            // A select's entry: the claim is its selector's CAS (Selection/SelectCore.cs).
            return _select.TryClaim(version, outcome);
        }

        long pending = Pack(version, WaiterStatus.Pending);
#if PLANTED_BUGS
        if (PlantedBugHooks.ClaimByLookThenWrite(ref _state, pending, Pack(version, outcome), out bool won)) { return won; }
#endif
        // Claim: the CAS is a full fence, so the claimer sees the offered item as the owner wrote it before parking.
        return Interlocked.CompareExchange(ref _state, Pack(version, outcome), pending) == pending;
    }

    /// <summary>Claimer only: ends the operation with <paramref name="error"/>, then publishes.</summary>
    public void PublishError(Exception error)
    {
        if (_select is not null)
        {
            _select.PublishClosed();
            return;
        }

        _error = error;
        Publish();
    }

    /// <summary>Claimer only: sets the result of a reader or WaitTo waiter, then publishes.</summary>
    public void PublishResult(T result)
    {
        if (_select is not null)
        {
            _select.PublishDelivered(result);
            return;
        }

        _item = result;
        Publish();
    }

    /// <summary>
    /// Claimer only, after writing the result: makes the result visible and wakes the awaiter. After this
    /// call the claimer must not touch the waiter again: its awaiter may already be recycling it.
    /// </summary>
    public void Publish()
    {
        if (_select is not null)
        {
            _select.PublishTaken();
            return;
        }

        AssertClaimed();
        // Acquire: if the awaiter has attached its continuation, we see its state and contexts too.
        Action<object?>? continuation = Volatile.Read(ref _continuation);
        Debug.Assert(!ReferenceEquals(continuation, s_published), "A waiter is published once per use.");
        if (continuation is null)
        {
            // Publish: the exchange is a release of the result written above, and tells OnCompleted, which
            // races us for this field, that it must run its continuation itself.
            continuation = Interlocked.Exchange(ref _continuation, s_published);
            if (continuation is null)
            {
                return;
            }
        }
        else
        {
            // Publish: OnCompleted has attached and is done with this field (it attaches once; a second call
            // throws), and only we, the sole claimer, write it until GetResult has read the result. With no
            // one to race, a release of the result written above suffices. This is the usual case: an
            // operation parks, and its awaiter attaches, before a partner finds it.
            Volatile.Write(ref _continuation, s_published);
        }

        ScheduleContinuation(continuation);
    }

    /// <summary>
    /// Claimer only, and only on a thread that runs nothing of anyone else's below it (a select's restart, itself a
    /// thread-pool work item: Selection/SelectCore.cs): sets the result and, if the awaiter has attached with no
    /// SynchronizationContext or TaskScheduler to go back to, runs its continuation right here, where a second
    /// thread-pool dispatch would have run it; otherwise publishes as <see cref="PublishResult"/> does.
    /// </summary>
    public void PublishResultHere(T result)
    {
        Debug.Assert(_select is null, "A select entry publishes through its selector.");
        AssertClaimed();
        _item = result;
        // Acquire: an attached continuation comes with its state and contexts (written before OnCompleted's CAS).
        Action<object?>? continuation = Volatile.Read(ref _continuation);
        if (continuation is null || _schedulingContext is not null)
        {
            Publish();
            return;
        }

        // Publish, as Publish's attached branch does (OnCompleted attaches once and is done with the field), then run
        // the continuation the scheduler would have run, in the ExecutionContext it captured.
        Volatile.Write(ref _continuation, s_published);
        _scheduledContinuation = continuation;
        ((ITrampolineWorkItem)this).RunContinuation();
    }

    private void OnCancellationRequested(CancellationToken cancellationToken)
    {
        // The registration is disposed (waiting for this callback) before the waiter is recycled, so the
        // token read here is the token of the use that registered.
        long version = Version;
#if PLANTED_BUGS
        if (PlantedBugHooks.PublishCancellationThatLost(this, version, cancellationToken)) { return; }
#endif
        if (TryClaim(version, WaiterStatus.Canceled))
        {
            WaiterQueue<T>? owner = _owner;
            PublishError(new OperationCanceledException(cancellationToken));
            // The waiter is now dead in its queue; let the queue drop dead entries at its head.
            owner?.TrimDeadHead();
        }
    }

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token)
    {
        long state = Volatile.Read(ref _state);
        if ((short)(state >> StatusBits) != token)
        {
            ThrowHelper.ThrowInvalidOperation_StaleToken();
        }

        if (!ReferenceEquals(Volatile.Read(ref _continuation), s_published))
        {
            return ValueTaskSourceStatus.Pending;
        }

        // The outcome is what was published, whoever claimed it: a claimer may end a waiter with an error (a
        // write claimed for a ring that turned out to be closed). As in System.Threading.Channels, an
        // OperationCanceledException (a canceled operation, or a completion with one) reads as Canceled.
        return _error switch
        {
            null => ValueTaskSourceStatus.Succeeded,
            OperationCanceledException => ValueTaskSourceStatus.Canceled,
            _ => ValueTaskSourceStatus.Faulted,
        };
    }

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (Token != token)
        {
            ThrowHelper.ThrowInvalidOperation_StaleToken();
        }

        Action<object?>? attached = Volatile.Read(ref _continuation);
        if ((attached is not null && !ReferenceEquals(attached, s_published)) || _scheduledContinuation is not null)
        {
            // A second await: refuse it before touching anything the first awaiter's wake-up will read. Either the
            // first continuation is still attached, or it is published and scheduled but has not run yet (a chain
            // or a SynchronizationContext would otherwise run this waiter twice, the second time with nothing).
            ThrowHelper.ThrowInvalidOperation_MultipleContinuations();
        }

        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
        {
            _executionContext = ExecutionContext.Capture();
        }

        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0)
        {
            _schedulingContext = ContinuationScheduler.CaptureSchedulingContext();
        }

        _continuationState = state;
        // Publish the continuation: written after its state so that Publish, which takes it, sees both.
        Action<object?>? previous = Interlocked.CompareExchange(ref _continuation, continuation, null);
        if (previous is null)
        {
            return;
        }

        if (!ReferenceEquals(previous, s_published))
        {
            ThrowHelper.ThrowInvalidOperation_MultipleContinuations();
        }

        // The result was published before we attached: run the continuation as if it had just been woken
        // (never inline: OnCompleted is called by the awaiter, and inlining could dive its stack).
        ScheduleContinuation(continuation);
    }

    /// <summary>Hands the continuation to the scheduling layer, which runs it asynchronously where the awaiter asked.</summary>
    private void ScheduleContinuation(Action<object?> continuation)
    {
        _scheduledContinuation = continuation;
        ContinuationScheduler.Schedule(this, _schedulingContext, _mayChain);
    }

    void IThreadPoolWorkItem.Execute() => ContinuationScheduler.RunFromThreadPool(this, _mayChain);

    void ITrampolineWorkItem.RunContinuation()
    {
        ExecutionContext? context = _executionContext;
        if (context is null)
        {
            InvokeContinuation();
        }
        else
        {
            ExecutionContext.Run(context, s_runInContext, this);
        }
    }

    private void InvokeContinuation()
    {
        // Read everything first: the continuation calls GetResult, which recycles this waiter.
        Action<object?>? continuation = _scheduledContinuation;
        object? state = _continuationState;
        Debug.Assert(continuation is not null, "A scheduled waiter has a continuation.");
        _scheduledContinuation = null;
        continuation(state);
    }

    /// <inheritdoc/>
    public T GetResult(short token)
    {
        T item = TakeOutcome(token, out _, out Exception? error);
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return item;
    }

    /// <summary>
    /// <c>GetResult</c> without the throw: reads the published outcome of the use <paramref name="token"/> (its
    /// result or error, and which claim ended it), then recycles the waiter. For a caller that treats some errors
    /// as an answer rather than a failure (ReadAllAsync's enumerator, for which the completion means "no more").
    /// </summary>
    public T TakeOutcome(short token, out WaiterStatus claim, out Exception? error)
    {
        // Acquire the publication first, then the state word: the claim CAS preceded the publication, so the
        // state read after it shows the claim (read the other way round, it could be older than the publication).
        bool published = ReferenceEquals(Volatile.Read(ref _continuation), s_published);
        long state = Volatile.Read(ref _state);
        if ((short)(state >> StatusBits) != token)
        {
            ThrowHelper.ThrowInvalidOperation_StaleToken();
        }

        if (!published)
        {
            ThrowHelper.ThrowInvalidOperation_NotCompleted();
        }

        // The claim that ended this use stays in the state word until Recycle moves the version on.
        claim = (WaiterStatus)(state & StatusMask);
        T item = _item;
        error = _error;
        Recycle();
        return item;
    }

    /// <summary>
    /// Which claim ended the use <paramref name="token"/> once its outcome is published (Matched, Closed or
    /// Canceled), or <see cref="WaiterStatus.Pending"/> before that. Like <c>GetStatus</c>, it does not recycle.
    /// </summary>
    public WaiterStatus PublishedClaim(short token)
    {
        // Publication first, then the state word (see TakeOutcome).
        bool published = ReferenceEquals(Volatile.Read(ref _continuation), s_published);
        long state = Volatile.Read(ref _state);
        if ((short)(state >> StatusBits) != token)
        {
            ThrowHelper.ThrowInvalidOperation_StaleToken();
        }

        return published ? (WaiterStatus)(state & StatusMask) : WaiterStatus.Pending;
    }

    /// <summary>Whether the published outcome carries an error (only meaningful once <see cref="PublishedClaim"/> is not Pending).</summary>
    public bool HasError => _error is not null;

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <summary>
    /// Owner only, for a waiter that was rented but never parked, or by <c>GetResult</c> once its result
    /// has been read: clears it, moves its version on (every stale token now fails) and returns it to the pool.
    /// </summary>
    public void Recycle()
    {
        Debug.Assert(_select is null, "A select entry belongs to its clause and is never recycled.");
        // Wait out a cancellation callback that may be running, so that it can never see the next use.
        _cancellationRegistration.Dispose();
        _cancellationRegistration = default;
        _cancellationToken = default;
        _owner = null;
        _error = null;
        _continuationState = null;
        _executionContext = null;
        _schedulingContext = null;
        _item = default!;
        Volatile.Write(ref _continuation, null);
        // Release: the next use's version, Pending. Everything cleared above is visible before it.
        long version = (Volatile.Read(ref _state) >> StatusBits) + 1;
        Volatile.Write(ref _state, Pack(version, WaiterStatus.Pending));
        _pool.Return(this);
    }

    private static long Pack(long version, WaiterStatus status) => (version << StatusBits) | (long)status;

    /// <summary>The <see cref="ValueTask{TResult}"/> of the use <paramref name="version"/> (a read or WaitTo call).</summary>
    public ValueTask<T> AsValueTask(long version) => new(this, (short)version);

    /// <summary>The <see cref="ValueTask"/> of the use <paramref name="version"/> (a write).</summary>
    public ValueTask AsWriteValueTask(long version) => new(this, (short)version);

    [Conditional("DEBUG")]
    private void AssertClaimed() =>
        Debug.Assert((Volatile.Read(ref _state) & StatusMask) != (long)WaiterStatus.Pending, "Only a claimer publishes.");

    private string DebuggerDisplay =>
        $"{Kind} {(WaiterStatus)(Volatile.Read(ref _state) & StatusMask)}, token {Token}";
}
