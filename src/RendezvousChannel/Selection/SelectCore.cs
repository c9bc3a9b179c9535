// SelectCore: the lock-free select machinery behind ChannelSelector: one versioned state word, claimed by one CAS.
//
// Algorithm, and where it comes from:
// - Go's selectgo (runtime/select.go): pass 1 tries every case in a random order and takes the first ready one;
//   pass 2 enqueues a sudog on every channel; the first partner to reach any of them wins, and the others are
//   dequeued. Go serialises this with channel locks; here the decision is one CAS on a per-selector state word.
// - Kotlin's SelectImplementation over BufferedChannel (Koval, Alistarh, Elizarov, PPoPP 2023): a select registers
//   a claimable entry in every channel's cell array, and a partner completes the select by one CAS on the select's
//   state; the select that itself meets a waiting partner during registration gives up and re-registers.
// - crossbeam-channel's select/context: one Context per select, selected by one CAS; operations on buffered
//   channels are retried by the selecting thread after a wake-up (signal semantics).
//
// The protocol (the argument the rest of the file refers to):
//
// State word (SelectState): (version, status); status is Waiting, Busy, Won(clause, closed?) or Canceled. Every
// parked entry names (selector, clause, version). A claim is ONE CAS from Waiting(v): a partner's Waiting(v) ->
// Won(v, i); the completion's Waiting(v) -> Won(v, i, closed); the cancellation's Waiting(v) -> Canceled(v); a ring's
// wake-up Waiting(v) -> Busy(v) ("look again"); the select's own Waiting(v) -> Busy(v) when it must decide for
// itself. An entry of an older version fails every claim (dead, skipped and dropped like a canceled waiter), so
// nothing ever revives a stale entry. Exactly one clause wins: each use v leaves Waiting(v) once, by one CAS, and
// whoever made that CAS is from then on the sole decider of the use (it owns Busy, or it owns the outcome it wrote).
//
// 1. Start: the selecting thread owns the selector (one select at a time) and writes Busy(v) for a fresh v; no entry
//    of v exists. Non-blocking pass: clauses in random (or biased) order, each tried once with the channel's own
//    TryRead/TryWrite. Being Busy, the select is its own sole decider: what such a try takes is the select's, and the
//    pass stops at the first clause that takes effect (or finds its channel closed). TrySelect ends here.
// 2. Wait: (once per select, before its first park: what each clause parks, see 5), publish Waiting(v) (a full
//    fence), re-check the token, then park one entry per clause: a claimable
//    entry in a rendezvous channel's dual queue (RendezvousSelectEntry), a signal entry among a ring's WaitTo
//    callers (RingSelectSignal), followed by a re-check of the ring (Dekker: the waker makes the ring ready with a
//    CAS and then looks for WaitTo callers; we park with a CAS and then look at the ring; one of us sees the other).
//    Before each clause it checks the state: once a partner won (or the token canceled) it stops.
// 3. Restart: a clause that cannot park (partners of the other kind are parked: a rendezvous "meet them", or the
//    ring's re-check found it ready, or the channel closed) means the select must itself claim a partner while
//    its other entries are claimable: two claims. It claims ITSELF first, Waiting(v) -> Busy(v). If that fails
//    someone else decided v (they finish it). If it succeeds, every entry of v is dead from that instant; it can
//    never go back to Waiting(v), because partners that saw Busy may have dropped some of those entries, so it takes
//    a fresh version v+1 (Busy) and runs the non-blocking pass again, which claims the partner with that partner's
//    own CAS (a plain waiter's, or another select's Waiting -> Won); if that claim fails the partner is gone (taken,
//    canceled or restarting) and the pass goes on. Nothing ready: back to 2 with v+1.
// 4. A ring's wake-up claims Waiting(v) -> Busy(v) and schedules the restart (never inline: the waker is inside a
//    channel operation); the restart is 3 from "takes a fresh version". Being a thread-pool work item of its own, a
//    restart that wins runs the awaiter's continuation in place rather than behind a second dispatch.
// 5. Self-match: a read and a write clause on one unbuffered channel park ONE entry of kind Either (a reader to
//    writers, a writer to readers; RendezvousSelectEntry), which parks only in an empty queue, so the select never
//    parks opposite kinds in one dual queue (it would restart forever), and a second select of that shape meets the
//    first in its pass. The select's own entries can never be claimed by itself: it claims partners only in a pass,
//    while Busy(v'), and all its parked entries name older versions.
//
// A claimer may hold a stale entry while the selecting thread prepares its next select: nothing a claim reads before
// its CAS may be per-select state (an entry's claim names its fixed owning clause), only the version word decides.
//
// No lost wake-up: while Waiting(v), every clause's condition is covered. A rendezvous partner that arrives after
// our entry parked finds it (dual queue: it cannot park while our kind is there), claims it and finishes the select;
// one that parked before our entry made our enqueue fail (-> restart, whose pass meets it). A ring that becomes
// ready after our signal parked wakes it; one ready before is seen by our re-check (-> restart). Completion closes
// the queues first, so it either drains our entry (rendezvous: Won closed; ring: restart, whose pass sees the
// close) or makes our enqueue fail (-> restart). A partner that found the select Busy dropped our entry, but Busy
// means the selecting side is deciding right now and will run a pass (which meets that partner if it parked) or
// has won. Cancellation: the callback CASes Waiting(v) -> Canceled(v); a callback that ran while Busy did nothing,
// so after every Waiting(v) is published (a full fence) the token is read again (Dekker with the token's own flag).
//
// Progress: lock-free in the sense that a restart happens only because some other party moved (a partner parked,
// a ring changed, the channel closed). Two selects that keep making each other restart can livelock in principle,
// as Kotlin's re-registration can; the random clause order and a SpinWait between restarts break the symmetry.

using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Rendezvous.Channels.Parking;
using Rendezvous.Channels.Scheduling;

namespace Rendezvous.Channels.Selection;

/// <summary>
/// The select machinery of one <see cref="ChannelSelector"/>: its state word, its passes, parking its clauses,
/// restarts, cancellation, and the pooled waiter its <see cref="ChannelSelector.SelectAsync"/> awaits. See the file
/// header for the protocol and its argument.
/// </summary>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
internal sealed class SelectCore : ITrampolineWorkItem
{
    private static readonly Action<object?> s_onCanceled = static state => ((SelectCore)state!).OnCancellationRequested();

    /// <summary>
    /// <see cref="SelectState"/>: the version of the current (or last) use and its status. Leaves <c>Waiting(v)</c>
    /// only by a CAS (<see cref="TryClaim"/>); every other write is by its sole owner (the selecting side while Busy
    /// or at rest), which no claimer can race, since claims match <c>Waiting</c> only.
    /// </summary>
    private long _state;

    /// <summary>1 while a select runs (from its start until its outcome is decided), else 0: one select at a time.</summary>
    private int _active;

    /// <summary>The clauses, in index order; grown only between selects (the owner's plain writes).</summary>
    private SelectClause[] _clauses = [];

    /// <summary>The waiters <see cref="ChannelSelector.SelectAsync"/> returns, one per parked select; reused.</summary>
    private readonly WaiterPool<SelectResult> _resultPool = new();

    /// <summary>The parked select's result waiter, claimed and published by the select's decider; null otherwise.</summary>
    private Waiter<SelectResult>? _result;

    /// <summary>The version of <see cref="_result"/>'s use.</summary>
    private long _resultVersion;

    /// <summary>The parked select's token and its registration, disposed by the decider before anything else is published.</summary>
    private CancellationToken _token;

    private CancellationTokenRegistration _registration;

    /// <summary>
    /// Whether some unbuffered channel has both a read and a write clause here (set when such a clause is added), so that
    /// <see cref="Begin"/> must pair them (<see cref="PairRendezvousClauses"/>); otherwise it skips the scan.
    /// </summary>
    private bool _hasMixedChannel;

    /// <summary>Xorshift state for <see cref="SelectFairness.Random"/>: the selecting side's only (never zero).</summary>
    private uint _random;

    /// <summary>
    /// Whether every clause's channel is in <see cref="ContinuationMode.Chained"/> mode (set when clauses are added): then
    /// the select's own wake-ups (its result, a ring's restart) chain as the channels' waiters do; otherwise they go to
    /// the thread pool. A selector with no clause yet counts as chaining; the first clause that does not clears it.
    /// </summary>
    private bool _mayChain = true;

    public SelectCore(SelectFairness fairness)
    {
        Fairness = fairness;
        _random = (uint)Environment.TickCount | 1u;
        _random ^= (uint)RuntimeHelpersHash(this);
    }

    public SelectFairness Fairness { get; }

    /// <summary>The clauses in index order.</summary>
    public ReadOnlySpan<SelectClause> Clauses => _clauses;

    /// <summary>The number of clauses.</summary>
    public int Count => _clauses.Length;

    /// <summary>Whether a select is running.</summary>
    public bool IsActive => Volatile.Read(ref _active) != 0;

    /// <summary>Owner, between selects: appends a clause.</summary>
    public void Add(SelectClause clause)
    {
        Debug.Assert(clause.Index == _clauses.Length, "Clauses are numbered in the order they are added.");
        SelectClause[] grown = new SelectClause[_clauses.Length + 1];
        _clauses.CopyTo(grown, 0);
        grown[^1] = clause;
        foreach (SelectClause other in _clauses)
        {
            if (clause.IsRendezvous && other.IsWrite != clause.IsWrite && ReferenceEquals(other.PortIdentity, clause.PortIdentity))
            {
                _hasMixedChannel = true;
            }
        }

        _mayChain &= clause.ChannelMayChain;
        _clauses = grown;
    }

    /// <summary>Whether the use <paramref name="version"/> is waiting: its entries are live.</summary>
    public bool IsWaiting(long version) => Volatile.Read(ref _state) == SelectState.Waiting(version);

    /// <summary>
    /// The claim: the one CAS <c>Waiting(version) → <paramref name="claimed"/></c> that decides a use. It fails for a
    /// stale entry (older version) and for a use that someone else already left Waiting.
    /// </summary>
    public bool TryClaim(long version, long claimed)
    {
        long waiting = SelectState.Waiting(version);
        Debug.Assert(SelectState.Version(claimed) == version && SelectState.Status(claimed) != SelectStatus.Waiting, "A claim decides its own version.");
#if PLANTED_BUGS
        if (SelectHooks.ClaimSelectByLookThenWrite(ref _state, waiting, claimed, out bool won)) { return won; }
#endif
        // Claim: a full fence. Its winner owns the use from here: the outcome it names, or Busy (it runs the restart).
        return Interlocked.CompareExchange(ref _state, claimed, waiting) == waiting;
    }

    /// <summary>Starts a select (either form): claims the selector for this thread. Throws if a select is pending.</summary>
    public void Begin()
    {
        // Claim the selector for this select: the exchange makes this thread its only user until the outcome.
        if (Interlocked.CompareExchange(ref _active, 1, 0) != 0)
        {
            SelectThrowHelper.ThrowInvalidOperation_SelectPending();
        }
    }

    /// <summary>
    /// The selecting thread, once its first pass found nothing (Busy, nothing of this use parked yet): what each enabled
    /// clause parks. Passes need none of it, so a select decided by its first pass never pays for it.
    /// </summary>
    private void PrepareToWait()
    {
        SelectClause[] clauses = _clauses;
        foreach (SelectClause clause in clauses)
        {
            if (clause.IsEnabled)
            {
                clause.Prepare();
            }
        }

        if (_hasMixedChannel)
        {
            PairRendezvousClauses(clauses);
        }
    }

    /// <summary>The first pass found no enabled clause: frees the selector and throws.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EndWithNoEnabledClause()
    {
        End();
        SelectThrowHelper.ThrowInvalidOperation_NoEnabledClause(_clauses.Length);
    }

    /// <summary>Ends a select whose outcome the selecting thread decided without parking (or a TrySelect).</summary>
    public void End() => Volatile.Write(ref _active, 0);

    /// <summary>
    /// Owner, at the start of a use: a fresh version, Busy. Plain write: at rest no claimer can succeed (claims match
    /// Waiting only), and the new version is above every parked entry's, so all of them are stale.
    /// </summary>
    public long StartUse()
    {
        long version = SelectState.Version(Volatile.Read(ref _state)) + 1;
        Volatile.Write(ref _state, SelectState.Busy(version));
        return version;
    }

    /// <summary>The non-blocking select, as <see cref="ChannelSelector.TrySelect"/>.</summary>
    public bool TrySelect(out SelectResult result)
    {
        Begin();
        long version = StartUse();
        PassOutcome outcome;
        try
        {
            outcome = TryPass(version, out result);
        }
        catch
        {
            End();
            throw;
        }

        if (outcome == PassOutcome.NoEnabledClause)
        {
            EndWithNoEnabledClause();
        }

        End();
        return outcome == PassOutcome.Decided;
    }

    /// <summary>The waiting select, as <see cref="ChannelSelector.SelectAsync"/>.</summary>
    public ValueTask<SelectResult> SelectAsync(CancellationToken cancellationToken)
    {
        Begin();
        if (cancellationToken.IsCancellationRequested)
        {
            End();
            return ValueTask.FromCanceled<SelectResult>(cancellationToken);
        }

        long version = StartUse();
        PassOutcome outcome = TryPass(version, out SelectResult ready);
        if (outcome == PassOutcome.Decided)
        {
            End();
            return new ValueTask<SelectResult>(ready);
        }

        if (outcome == PassOutcome.NoEnabledClause)
        {
            EndWithNoEnabledClause();
        }

        return ParkAndWait(version, cancellationToken);
    }

    /// <summary>The first pass of <see cref="SelectAsync"/> found nothing: the select parks (off the path of a select decided at once).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<SelectResult> ParkAndWait(long version, CancellationToken cancellationToken)
    {
        PrepareToWait();
        Waiter<SelectResult> waiter = _resultPool.Rent();
        long resultVersion = waiter.Arm(WaiterKind.Reader, owner: null, default, _mayChain);
        _result = waiter;
        _resultVersion = resultVersion;
        _token = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // UnsafeRegister: no ExecutionContext capture; CancellationTokenSource reuses its nodes, so a registration
            // disposed before the next one allocates nothing in steady state. If the token is canceled meanwhile the
            // callback runs here, finds the select Busy and does nothing; Wait's first look at the token sees it.
            _registration = cancellationToken.UnsafeRegister(s_onCanceled, this);
        }

        Wait(version);
        // The waiter may already be published (even by this thread, in Wait); only our ValueTask reads it back.
        return waiter.AsValueTask(resultVersion);
    }

    /// <summary>
    /// Steps 2 and 3 of the protocol (file header), for the owner of <c>Busy(version)</c> whose pass found nothing:
    /// park every clause, restarting with a fresh version while a clause cannot park, until the select waits or is decided.
    /// </summary>
    private void Wait(long version)
    {
        SpinWait spinner = default;
        while (true)
        {
            Debug.Assert(Volatile.Read(ref _state) == SelectState.Busy(version), "Only the owner of Busy parks the clauses.");
            if (_token.IsCancellationRequested)
            {
                // We own Busy: nobody else can decide this use, so a plain write ends it.
                Volatile.Write(ref _state, SelectState.Canceled(version));
                FinishCanceled();
                return;
            }

            // Publish Waiting(version): from here entries of this version are claimable. An exchange (full fence), so
            // that the token read below cannot move above it: a cancellation callback that found us Busy did nothing,
            // and then this read sees its token canceled (the token's flag is set before its callbacks run).
            Interlocked.Exchange(ref _state, SelectState.Waiting(version));
            if (_token.IsCancellationRequested)
            {
                if (TryClaim(version, SelectState.Canceled(version)))
                {
                    FinishCanceled();
                }

                return;
            }

            ParkResult parked = ParkClauses(version);
            if (parked == ParkResult.Parked || parked == ParkResult.Decided)
            {
                // Parked: partners, rings, the completion or the token will decide. Decided: someone did already.
                return;
            }

            // Two claims needed (or a refusal): claim ourselves first. If that fails, someone else decided.
            if (!TryClaim(version, SelectState.Busy(version)))
            {
                return;
            }

            if (parked == ParkResult.Refused)
            {
                FinishFaulted(SelectThrowHelper.CreateTooManyParkedException());
                return;
            }

            // Every entry of `version` is dead now, and some may have been dropped by partners that found us Busy, so we
            // never go back to Waiting(version): a fresh version, and the non-blocking pass, which claims the partner.
            version++;
            Volatile.Write(ref _state, SelectState.Busy(version));
            if (TryPass(version, out SelectResult result) == PassOutcome.Decided)
            {
                Finish(result);
                return;
            }

            // What made us restart was taken by someone else meanwhile; let them run before we park again.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Step 2: parks every enabled clause for <paramref name="version"/>; stops once the use is no longer Waiting.</summary>
    private ParkResult ParkClauses(long version)
    {
        foreach (SelectClause clause in _clauses)
        {
            if (!clause.IsEnabled || clause.Role == SelectRole.None)
            {
                continue;
            }

            // Stop as soon as someone decided this use: entries parked from here on would only be dead weight.
            if (!IsWaiting(version))
            {
                return ParkResult.Decided;
            }

            ParkResult parked = clause.Park(version);
            if (parked != ParkResult.Parked)
            {
                return parked;
            }
        }

        return ParkResult.Parked;
    }

    /// <summary>
    /// Step 1: the non-blocking pass, by the owner of <c>Busy(version)</c>. Tries each enabled clause once, from a
    /// random start (or the first, if biased), and stops at the first that took effect or found its channel closed.
    /// </summary>
    private PassOutcome TryPass(long version, out SelectResult result)
    {
        Debug.Assert(Volatile.Read(ref _state) == SelectState.Busy(version), "Only the owner of Busy tries clauses: what it takes is the select's.");
        SelectClause[] clauses = _clauses;
        int count = clauses.Length;
        int start = Fairness == SelectFairness.Biased ? 0 : NextRandom(count);
        PassOutcome outcome = PassOutcome.NoEnabledClause;
        result = default;
        for (int k = 0; k < count; k++)
        {
            int index = start + k;
            if (index >= count)
            {
                index -= count;
            }

            SelectClause clause = clauses[index];
            if (!clause.IsEnabled)
            {
                continue;
            }

#if PLANTED_BUGS
            // The planted bug goes on trying clauses after a win; what they take is lost (the first outcome stands).
            if (outcome == PassOutcome.Decided) { _ = clause.TryNow(out _); continue; }
#endif
            outcome = PassOutcome.NothingReady;
            if (clause.TryNow(out result))
            {
                outcome = PassOutcome.Decided;
#if PLANTED_BUGS
                if (SelectHooks.KeepTryingAfterWin) { continue; }
#endif
                // The first clause that took effect wins; no other clause may be tried after it (it would take too).
                break;
            }
        }

        return outcome;
    }

    /// <summary>
    /// A ring's wake-up claimed <c>Waiting(v) → Busy(v)</c> (<see cref="RingSelectSignal"/>): the claimer hands the
    /// restart to the scheduling layer, never running it inside the channel operation that woke us.
    /// </summary>
    public void ScheduleRestart()
    {
        Debug.Assert(SelectState.Status(Volatile.Read(ref _state)) == SelectStatus.Busy, "A signal's claimer owns Busy.");
        ContinuationScheduler.Schedule(this, schedulingContext: null, _mayChain);
    }

    void IThreadPoolWorkItem.Execute() => ContinuationScheduler.RunFromThreadPool(this, _mayChain);

    /// <summary>The restart a ring's wake-up scheduled: we own Busy(v); a fresh version, a pass, then wait again.</summary>
    void ITrampolineWorkItem.RunContinuation()
    {
        long state = Volatile.Read(ref _state);
        Debug.Assert(SelectState.Status(state) == SelectStatus.Busy, "The restart owns Busy.");
        long version = SelectState.Version(state) + 1;
        Volatile.Write(ref _state, SelectState.Busy(version));
        if (TryPass(version, out SelectResult result) == PassOutcome.Decided)
        {
            // We run as a thread-pool work item of our own: the awaiter's continuation runs here, not behind a second dispatch.
            Finish(result, runContinuationHere: true);
            return;
        }

        Wait(version);
    }

    private void OnCancellationRequested()
    {
        // A callback of this select's registration: the decider disposes it (waiting for a running callback) before the
        // selector can be used again, so the state read here belongs to this select.
        long state = Volatile.Read(ref _state);
        if (SelectState.Status(state) == SelectStatus.Waiting && TryClaim(SelectState.Version(state), SelectState.Canceled(SelectState.Version(state))))
        {
            FinishCanceled();
        }
    }

    /// <summary>The decider of a parked select (a partner, the completion, or the select itself): ends it with <paramref name="result"/>.</summary>
    public void Finish(SelectResult result) => Finish(result, runContinuationHere: false);

    private void Finish(SelectResult result, bool runContinuationHere)
    {
        Waiter<SelectResult> waiter = Release(out long version);
        // The decider is the only claimer of the result waiter (the waiter has no cancellation of its own).
        bool claimed = waiter.TryClaim(version, WaiterStatus.Matched);
        Debug.Assert(claimed, "The select's decider claims its result waiter unopposed.");
        if (runContinuationHere)
        {
            waiter.PublishResultHere(result);
        }
        else
        {
            waiter.PublishResult(result);
        }
    }

    private void FinishCanceled()
    {
        CancellationToken token = _token;
        FinishFaulted(new OperationCanceledException(token));
    }

    private void FinishFaulted(Exception error)
    {
        Waiter<SelectResult> waiter = Release(out long version);
        bool claimed = waiter.TryClaim(version, WaiterStatus.Canceled);
        Debug.Assert(claimed, "The select's decider claims its result waiter unopposed.");
        waiter.PublishError(error);
    }

    /// <summary>
    /// The decider: drops the cancellation registration (waiting out a running callback, which then cannot touch a
    /// later select), frees the selector for the next select, and hands back the result waiter to publish.
    /// </summary>
    private Waiter<SelectResult> Release(out long version)
    {
        CancellationTokenRegistration registration = _registration;
        _registration = default;
        _token = default;
        // Does not wait if this thread is running the token's callbacks (the cancellation deciding, or a completion
        // called from another callback of the same token).
        registration.Dispose();
        Waiter<SelectResult>? waiter = _result;
        Debug.Assert(waiter is not null, "Only a parked select is finished by its decider.");
        version = _resultVersion;
        _result = null;
        // Release: the selector may be used again from here, by a thread that has not yet seen this select's outcome
        // (it would have to be misusing it); the outcome is published right after.
        Volatile.Write(ref _active, 0);
        return waiter;
    }

    /// <summary>
    /// Before a select: on each unbuffered channel with both a read and a write clause enabled, the first read clause's
    /// entry stands for the first write clause too (an Either entry) and the channel's other clauses park nothing, so the
    /// select never parks a reader and a writer in one dual queue (it would meet itself, or restart forever). Other
    /// rendezvous clauses stand for themselves. O(clauses²), for the few clauses a select has.
    /// </summary>
    private static void PairRendezvousClauses(SelectClause[] clauses)
    {
        for (int i = 0; i < clauses.Length; i++)
        {
            SelectClause clause = clauses[i];
            if (!clause.IsEnabled || !clause.IsRendezvous || clause.Role != SelectRole.Own)
            {
                continue;
            }

            SelectClause? read = clause.IsWrite ? null : clause;
            SelectClause? write = clause.IsWrite ? clause : null;
            bool shared = false;
            for (int j = i + 1; j < clauses.Length; j++)
            {
                SelectClause other = clauses[j];
                if (other.IsEnabled && other.IsRendezvous && ReferenceEquals(other.PortIdentity, clause.PortIdentity))
                {
                    shared = true;
                    if (other.IsWrite)
                    {
                        write ??= other;
                    }
                    else
                    {
                        read ??= other;
                    }
                }
            }

            if (!shared || read is null || write is null)
            {
                continue;
            }

            // Mixed: only the read clause's entry parks, standing for both; every other clause on the channel parks nothing.
            for (int j = i; j < clauses.Length; j++)
            {
                SelectClause other = clauses[j];
                if (other.IsEnabled && other.IsRendezvous && ReferenceEquals(other.PortIdentity, clause.PortIdentity))
                {
                    other.Role = SelectRole.None;
                }
            }

            read.StandForBoth(write);
        }
    }

    private int NextRandom(int bound)
    {
        // Xorshift32: the selecting side's own state (passes run only while it owns Busy), no atomics needed.
        uint x = _random;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        _random = x;
        return (int)((ulong)x * (uint)bound >> 32);
    }

    private static int RuntimeHelpersHash(object value) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);

    private string DebuggerDisplay => $"{SelectState.Describe(Volatile.Read(ref _state))}, {_clauses.Length} clauses";
}

/// <summary>What a non-blocking pass over the clauses came to.</summary>
internal enum PassOutcome
{
    /// <summary>Some clause was enabled, and none could take effect or found its channel closed.</summary>
    NothingReady,

    /// <summary>A clause took effect or found its channel closed: the select's outcome.</summary>
    Decided,

    /// <summary>No clause is enabled: a select cannot even begin.</summary>
    NoEnabledClause,
}

/// <summary>What parking a clause for a select came to.</summary>
internal enum ParkResult
{
    /// <summary>Its entry is parked (and, for a ring, the re-check found nothing to do).</summary>
    Parked,

    /// <summary>It cannot wait: a partner is parked, the ring is ready, or the channel closed. The select restarts.</summary>
    MustRestart,

    /// <summary>Its queue holds as many entries as it may: the select fails (as a plain operation would be refused).</summary>
    Refused,

    /// <summary>The use is no longer waiting: someone decided it.</summary>
    Decided,
}

/// <summary>What a clause parks in a select (set by <see cref="SelectCore.Begin"/>).</summary>
internal enum SelectRole
{
    /// <summary>Its own entry (a read, a write, or a ring's signal).</summary>
    Own,

    /// <summary>Nothing: another clause's Either entry stands for it on its channel (it still takes part in passes).</summary>
    None,

    /// <summary>An Either entry standing for it and a write clause on the same unbuffered channel.</summary>
    Both,
}
