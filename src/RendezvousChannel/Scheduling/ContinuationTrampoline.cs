// ContinuationTrampoline: Go's runnext slot, for .NET's thread pool.
//
// Go's scheduler puts a goroutine woken by a channel operation in its waker's runnext slot, so that it runs
// next on the same processor instead of going through a run queue; idle processors may steal it after a short
// delay. Here a woken channel continuation is deferred into a small per-thread FIFO and run by a trampoline loop as
// soon as the continuation that woke it returns; StalledChainRescuer.cs plays the stealing processors.

using System;
using System.Diagnostics;
using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// Runs a channel continuation woken from inside another channel continuation on the same worker, right after
/// the waking continuation returns, instead of queueing it to the thread pool (channels in
/// <see cref="ContinuationMode.Chained"/> mode only).
/// </summary>
/// <remarks>
/// <para>Why: between two async loops that meet on a channel, each hand-off otherwise costs a thread-pool
/// dispatch, and each enqueue asks the pool for another worker, which wakes, spins, and often steals the item
/// to the other core. A chain replaces both with one CAS.</para>
/// <para>The rules, which keep it safe and a good citizen of the pool:</para>
/// <list type="bullet">
/// <item><description>Only a thread that is running a chain (<see cref="Run"/>, i.e. the thread pool is running
/// one of our waiters) defers, and only while its FIFO has room; every other wake-up goes to the pool's global
/// queue.</description></item>
/// <item><description>A deferred continuation runs from the loop in <see cref="RunChain"/> after the waking one
/// has returned: never inside a channel operation, and never deeper on the stack.</description></item>
/// <item><description>A chain runs for a time slice (<see cref="ChainSliceMicroseconds"/>, checked at sampled
/// points, see <see cref="NextCheck"/>), then hands the rest to the pool's global queue, behind the work queued
/// meanwhile.</description></item>
/// <item><description>Each check also judges the continuations since the previous one: if they averaged more than
/// <see cref="LongContinuationMicroseconds"/> (CPU-heavy stages, better run in parallel by the pool), the chain
/// ends at once and the thread stops deferring for a while (<see cref="BackOffMilliseconds"/>, doubling while it
/// recurs). The first checks are one continuation apart, so one long continuation is judged on its own.</description></item>
/// <item><description>Between two continuations the thread gets back the ExecutionContext, SynchronizationContext,
/// name, priority and background flag it started the chain with, as the thread pool resets them between work
/// items.</description></item>
/// <item><description>Deferred continuations are stealable: if the waking continuation runs (or blocks) for a whole
/// tick of <see cref="StalledChainRescuer"/>, the rescuer hands what it deferred to the pool, so code that
/// blocks waiting for it cannot deadlock, and waits little (fast ticks, tens of microseconds apart, follow the
/// rescuer's start; see <see cref="ThreadPoolChainHost"/>). The rescuer ticks only while some chain holds deferred
/// work (<see cref="HoldsDeferred"/>).</description></item>
/// </list>
/// <para>Trampolines live in the rescuer's push-only list; one is owned by one thread at a time, and the rescuer
/// frees the trampolines of threads that have exited, for the next thread to reuse. The owner's steps
/// (<see cref="BeginChain"/>, <see cref="TryDeferHere"/>, <see cref="TakeDeferred"/>, <see cref="EndChain"/>) are
/// instance methods, so that a systematic test can drive one trampoline against a rescuer without threads.</para>
/// </remarks>
[DebuggerDisplay("Running = {_running}, HoldsDeferred = {_holdsDeferred}, Deferred = {_tail - _head}")]
internal sealed class ContinuationTrampoline
{
    /// <summary>How long one chain runs before the rest goes back to the pool's global queue.</summary>
    internal const int ChainSliceMicroseconds = 100;

    /// <summary>Chained continuations between two clock reads, at most (see <see cref="NextCheck"/>).</summary>
    internal const int MaxContinuationsBetweenChecks = 64;

    /// <summary>
    /// Continuations one chain can hold deferred at once; more go to the pool. A writer can wake every parked
    /// reader in one go, and a wake that escapes to the pool brings a second worker in to contend.
    /// </summary>
    private const int DeferredCapacity = 8;

    /// <summary>Average length above which chained continuations look like CPU-heavy stages, better run in parallel.</summary>
    internal const int LongContinuationMicroseconds = 50;

    /// <summary>
    /// How long a thread first stops deferring once its continuations were seen to run long or to stall: short,
    /// because a preemption or a garbage collection looks the same as a stall. Each back-off within
    /// <see cref="MaxBackOffMilliseconds"/> of the previous one doubles, so a thread that keeps stalling (code
    /// that blocks in its continuations) soon chains almost nothing.
    /// </summary>
    internal const int BackOffMilliseconds = 16;

    /// <summary>The longest back-off.</summary>
    internal const int MaxBackOffMilliseconds = 1024;

    /// <summary>The AppContext switch that turns chaining off for the whole process, overriding every channel's mode.</summary>
    internal const string DisableSwitchName = "RendezvousChannel.DisableContinuationChaining";

    /// <summary>Whether woken continuations may be chained at all (AppContext switch, read once).</summary>
    internal static bool IsEnabled { get; } = !AppContext.TryGetSwitch(DisableSwitchName, out bool disabled) || !disabled;

    private static readonly long s_sliceTicks = ChainSliceMicroseconds * Stopwatch.Frequency / 1_000_000;

    private static readonly long s_longContinuationTicks = LongContinuationMicroseconds * Stopwatch.Frequency / 1_000_000;

    /// <summary>This thread's trampoline, once it has run a chain.</summary>
    [ThreadStatic]
    private static ContinuationTrampoline? t_trampoline;

    /// <summary>Back-offs started so far, by owners and by the rescuer (for tests).</summary>
    private static long s_backOffs;

    /// <summary>The rescuer whose list holds this trampoline, and which it asks to tick while it holds deferred work.</summary>
    private readonly StalledChainRescuer _rescuer;

    /// <summary>1 while a live thread owns this trampoline. Claimed by a CAS from 0; set back to 0 only by the rescuer, once the owner has exited.</summary>
    private int _owned;

    /// <summary>The owning thread; written by the claimer after its CAS on <see cref="_owned"/>, cleared by the rescuer's CAS once it exited.</summary>
    private object? _owner;

    /// <summary>Owner only: 1 while the owner runs a chain (the rescuer never reads it; it reads <see cref="_holdsDeferred"/>).</summary>
    private int _running;

    /// <summary>
    /// 1 from the chain's first deferral to its end: what the rescuer ticks for and looks at. Set by an exchange, a
    /// full fence, before the owner reads whether the rescuer is ticking (the Dekker pair of the rescuer's stop);
    /// cleared by a plain write once the chain has taken or handed off everything.
    /// </summary>
    private int _holdsDeferred;

    /// <summary>Counts the continuations the owner has started; unchanged across a rescuer tick means one is still running.</summary>
    private int _started;

    /// <summary>Owner only: <see cref="_started"/> when the current chain began.</summary>
    private int _chainBegan;

    /// <summary>
    /// The deferred continuations, oldest at <see cref="_head"/>, a FIFO owned by the owner: only the owner fills a
    /// slot, and only an empty one. A slot is emptied by a CAS, by the owner to run its continuation or by the
    /// rescuer to hand it to the pool: whoever wins runs it, exactly once. A slot the rescuer emptied is skipped.
    /// </summary>
    private readonly ITrampolineWorkItem?[] _deferred = new ITrampolineWorkItem?[DeferredCapacity];

    /// <summary>Owner only: positions of the oldest deferred continuation and of the next free slot.</summary>
    private int _head;
    private int _tail;

    /// <summary>The host's clock value before which the owner defers nothing; 0 when it is not backing off.</summary>
    private long _backOffUntil;

    /// <summary>The last back-off's length, and when it ended (host clock); for the doubling.</summary>
    private int _backOffSpan = BackOffMilliseconds;
    private long _lastBackOff = long.MinValue / 2;

    internal ContinuationTrampoline(StalledChainRescuer rescuer, object owner)
    {
        _rescuer = rescuer;
        _owned = 1;
        _owner = owner;
    }

    /// <summary>How many deferred continuations the process's rescuer has stolen from stalled chains so far.</summary>
    internal static long RescuedCount => StalledChainRescuer.Shared.RescuedCount;

    /// <summary>How many back-offs (a long continuation, or a rescued chain) have started so far.</summary>
    internal static long BackOffCount => Volatile.Read(ref s_backOffs);

    /// <summary>Whether the calling code runs in a chained continuation: one a chain ran after another (for tests).</summary>
    internal static bool InChainedContinuation =>
        t_trampoline is { } trampoline && trampoline._running != 0 && trampoline._started - trampoline._chainBegan > 1;

    /// <summary>The rescuer's snapshot of this trampoline from its previous tick (touched only by the rescuer).</summary>
    internal bool SeenHolding;

    /// <inheritdoc cref="SeenHolding"/>
    internal int SeenStarted;

    /// <summary>The next trampoline in the rescuer's list; written once, before the push that publishes this one.</summary>
    internal ContinuationTrampoline? Next { get; set; }

    /// <summary>Whether a live thread (as far as the rescuer knows) owns this trampoline.</summary>
    internal bool IsOwned => Volatile.Read(ref _owned) != 0;

    /// <summary>Whether the owner's chain holds (or may hold) deferred continuations: the rescuer ticks while one does.</summary>
    internal bool HoldsDeferred => Volatile.Read(ref _holdsDeferred) != 0;

    /// <summary>How many continuations the owner has started; unchanged across a rescuer tick means one is still running.</summary>
    internal int Started => Volatile.Read(ref _started);

    /// <summary>
    /// Called where a woken continuation (of a channel in <see cref="ContinuationMode.Chained"/> mode) would be queued
    /// to the thread pool: defers it to this thread's chain instead, if this thread is running one and its FIFO has
    /// room. False: queue it as usual.
    /// </summary>
    public static bool TryDefer(ITrampolineWorkItem item) => t_trampoline is { } trampoline && trampoline.TryDeferHere(item);

    /// <summary>
    /// The thread pool runs <paramref name="first"/> (of a channel in <see cref="ContinuationMode.Chained"/> mode): run
    /// it, then, one after another, the continuations it and its successors defer, for one time slice.
    /// </summary>
    public static void Run(ITrampolineWorkItem first)
    {
        ContinuationTrampoline trampoline = t_trampoline ??= StalledChainRescuer.Shared.Attach(Thread.CurrentThread);
        if (trampoline._running != 0)
        {
            // Only the thread pool calls Execute, never from inside a work item; should anyone do so, do not nest chains.
            first.RunContinuation();
            return;
        }

        trampoline.RunChain(first);
    }

    /// <summary>Owner only: starts a chain. Nothing is announced yet: a chain that never defers costs the rescuer nothing.</summary>
    internal void BeginChain()
    {
        AssertOwnedByThisThread();
        Debug.Assert(_running == 0 && _head == _tail, "Chains do not nest, and a new one holds nothing.");
        _running = 1;
        _chainBegan = _started;
    }

    /// <summary>Owner only: counts a continuation about to run (the rescuer's progress mark).</summary>
    internal void NoteStarted() =>
        // A release, ordered before whatever the continuation defers.
        Volatile.Write(ref _started, _started + 1);

    /// <summary>
    /// Owner only (the running continuation wakes a partner): defers <paramref name="item"/> to this chain if it
    /// runs one, has room and is not backing off.
    /// </summary>
    internal bool TryDeferHere(ITrampolineWorkItem item)
    {
        if (_running == 0 || _tail - _head == DeferredCapacity || IsBackingOff())
        {
            return false;
        }

        AssertOwnedByThisThread();
        // The slot is empty: the owner took or skipped its last continuation, or the rescuer stole it.
        ref ITrampolineWorkItem? slot = ref _deferred[_tail & (DeferredCapacity - 1)];
        Debug.Assert(Volatile.Read(ref slot) is null, "A slot is refilled only once emptied.");
        // Publish the deferred continuation to the rescuer: a release, so that whoever takes it (owner or
        // rescuer) sees the result its waker published before deferring it.
        Volatile.Write(ref slot, item);
        _tail++;
        if (_holdsDeferred == 0)
        {
            // The chain's first deferral: announce it before reading the rescuer's state. An exchange, a full fence,
            // so that a rescuer deciding to stop either sees us holding deferred work (AnyHoldsDeferred), or is
            // seen stopping by EnsureTicking (which switches it back). Later deferrals of this chain are plain.
            Interlocked.Exchange(ref _holdsDeferred, 1);
            _rescuer.EnsureTicking();
        }

        return true;
    }

    /// <summary>Owner only: takes the oldest deferred continuation that the rescuer has not stolen.</summary>
    internal ITrampolineWorkItem? TakeDeferred()
    {
        while (_head != _tail)
        {
            ref ITrampolineWorkItem? slot = ref _deferred[_head++ & (DeferredCapacity - 1)];
            ITrampolineWorkItem? deferred = Volatile.Read(ref slot);
            // Claim it against the rescuer: the CAS decides who runs it.
            if (deferred is not null && Interlocked.CompareExchange(ref slot, null, deferred) == deferred)
            {
                return deferred;
            }
        }

        return null;
    }

    /// <summary>
    /// Owner only: ends the chain. Whatever is still deferred (the slice is spent, or a continuation threw) goes to
    /// the pool's global queue; then the chain stops holding deferred work.
    /// </summary>
    internal void EndChain()
    {
        for (ITrampolineWorkItem? left = TakeDeferred(); left is not null; left = TakeDeferred())
        {
            _rescuer.Host.Queue(left);
        }

        Debug.Assert(_head == _tail, "A chain leaves nothing deferred.");
        // Nothing is deferred any more; a plain write suffices, the rescuer at worst ticks once more.
        Volatile.Write(ref _holdsDeferred, 0);
        _running = 0;
    }

    private void RunChain(ITrampolineWorkItem first)
    {
        BeginChain();
        // What the pool gave us (contexts, name, priority, background); each chained continuation starts from it,
        // as a new work item would. Read once per pool dispatch, cheap beside it.
        WorkItemThreadState threadState = WorkItemThreadState.Capture();
        ITrampolineWorkItem? next = first;
        int ran = 0;
        int nextCheck = 1;
        long chainStarted = 0;
        long lastCheck = 0;
        int ranAtLastCheck = 0;
        try
        {
            while (true)
            {
                NoteStarted();
                next.RunContinuation();
                ran++;
                next = TakeDeferred();
                if (next is null)
                {
                    return;
                }

                if (ran == 1)
                {
                    // Only chains that chain read the clock: a lone continuation reads none.
                    chainStarted = lastCheck = Stopwatch.GetTimestamp();
                    ranAtLastCheck = 1;
                    nextCheck = 2;
                }
                else if (ran == nextCheck)
                {
                    long now = Stopwatch.GetTimestamp();
                    bool longContinuations = now - lastCheck > (ran - ranAtLastCheck) * s_longContinuationTicks;
                    if (longContinuations || now - chainStarted > s_sliceTicks)
                    {
                        // Long continuations: CPU-heavy stages run in parallel on the pool, as with the BCL; stop
                        // deferring for a while. Slice spent: the rest of the chain waits its turn in the pool's
                        // global queue, behind the work queued meanwhile (a timer tick, another chain's leftovers).
                        // Never the worker's local queue: the worker pops it first, so a busy chain would requeue
                        // itself there and starve the global queue, the rescuer's ticks included.
                        if (longContinuations)
                        {
                            BackOff();
                        }

                        _rescuer.Host.Queue(next);
                        return;
                    }

                    lastCheck = now;
                    ranAtLastCheck = ran;
                    nextCheck = NextCheck(ran);
                }

                // The next continuation starts from what the pool gave the chain, as a new work item would.
                threadState.Restore();
            }
        }
        finally
        {
            EndChain();
        }
    }

    /// <summary>
    /// After how many chained continuations the clock is read next: 2, 4, 8, ... 64, then every
    /// <see cref="MaxContinuationsBetweenChecks"/>. A clock read costs tens of nanoseconds, a hand-off about a
    /// hundred; the first checks are close, so that one long continuation is judged nearly alone.
    /// </summary>
    internal static int NextCheck(int ran) => ran < MaxContinuationsBetweenChecks ? ran * 2 : ran + MaxContinuationsBetweenChecks;

    private bool IsBackingOff()
    {
        long until = _backOffUntil;
        if (until == 0)
        {
            return false;
        }

        if (_rescuer.Host.NowMilliseconds < until)
        {
            return true;
        }

        _backOffUntil = 0;
        return false;
    }

    /// <summary>
    /// Stops this thread deferring for a while (see <see cref="BackOffMilliseconds"/>). Called by the owner and by
    /// the rescuer; a race between them only makes one back-off a little shorter or longer.
    /// </summary>
    internal void BackOff()
    {
        Interlocked.Increment(ref s_backOffs);
        long now = _rescuer.Host.NowMilliseconds;
        int span = now - _lastBackOff > MaxBackOffMilliseconds ? BackOffMilliseconds : Math.Min(_backOffSpan * 2, MaxBackOffMilliseconds);
        _backOffSpan = span;
        _lastBackOff = now + span;
        Volatile.Write(ref _backOffUntil, now + span);
    }

    /// <summary>
    /// Called while scanning the rescuer's list for a free trampoline: claims this one for <paramref name="owner"/> if
    /// its thread has exited (freed by the rescuer). The CAS makes the claimer its only owner.
    /// </summary>
    internal bool TryClaim(object owner)
    {
        if (Volatile.Read(ref _owned) != 0 || Interlocked.CompareExchange(ref _owned, 1, 0) != 0)
        {
            return false;
        }

        Volatile.Write(ref _owner, owner);
        ResetBackOff();
        return true;
    }

    private void ResetBackOff()
    {
        _backOffUntil = 0;
        _backOffSpan = BackOffMilliseconds;
        _lastBackOff = long.MinValue / 2;
    }

    /// <summary>
    /// Rescuer only, for a trampoline that holds no deferred work: frees it for another thread if its owner has exited
    /// (an exited thread runs no chain, so nothing is deferred).
    /// </summary>
    internal void FreeIfOwnerExited()
    {
        object? owner = Volatile.Read(ref _owner);
        if (owner is not null && !_rescuer.Host.IsAlive(owner))
        {
            // No CAS needed: only a tick frees (ticks do not overlap), and nobody claims the trampoline before _owned
            // is 0 below. Clear the owner first, so that a claimer (after its CAS on _owned) writes the new one last.
            AssertNothingDeferred();
            Volatile.Write(ref _owner, null);
            Volatile.Write(ref _owned, 0);
        }
    }

    /// <summary>
    /// Rescuer only: hands every deferred continuation to the pool. Each CAS races the owner's take; exactly one
    /// of them gets each continuation. Returns how many were stolen.
    /// </summary>
    internal int StealDeferred()
    {
        int stolen = 0;
        for (int i = 0; i < DeferredCapacity; i++)
        {
            ref ITrampolineWorkItem? slot = ref _deferred[i];
            ITrampolineWorkItem? deferred = Volatile.Read(ref slot);
#if PLANTED_BUGS
            if (deferred is not null && SchedulingBugHooks.StealByLookThenWrite(ref slot)) { _rescuer.Host.Queue(deferred); stolen++; continue; }
#endif
            if (deferred is not null && Interlocked.CompareExchange(ref slot, null, deferred) == deferred)
            {
                _rescuer.Host.Queue(deferred);
                stolen++;
            }
        }

        return stolen;
    }

    [Conditional("DEBUG")]
    private void AssertOwnedByThisThread()
    {
        Debug.Assert(Volatile.Read(ref _owned) != 0, "Only an owned trampoline runs a chain.");
#if !COYOTE
        // Under systematic test the owner is a controlled task, not a thread.
        Debug.Assert(Volatile.Read(ref _owner) == Thread.CurrentThread, "Only its owner thread runs or fills a trampoline.");
#endif
    }

    [Conditional("DEBUG")]
    private void AssertNothingDeferred()
    {
        foreach (ITrampolineWorkItem? deferred in _deferred)
        {
            Debug.Assert(deferred is null, "A trampoline whose chain is over holds no deferred continuation.");
        }
    }

    /// <summary>
    /// What the thread pool resets between work items and a chain must reset between continuations: the
    /// SynchronizationContext, the ExecutionContext (with it culture, UI culture and AsyncLocals), and the thread's
    /// name, priority and background flag.
    /// </summary>
    private readonly struct WorkItemThreadState
    {
        private readonly Thread? _thread;
        private readonly ExecutionContext? _executionContext;
        private readonly string? _name;
        private readonly ThreadPriority _priority;
        private readonly bool _isBackground;

        private WorkItemThreadState(Thread thread)
        {
            _thread = thread;
            _executionContext = ExecutionContext.Capture();
            _name = thread.Name;
            _priority = thread.Priority;
            _isBackground = thread.IsBackground;
        }

        /// <summary>Snapshots the calling thread, once per chain.</summary>
        public static WorkItemThreadState Capture() => new(Thread.CurrentThread);

        /// <summary>Sets back whatever the last continuation changed; reads only, unless something changed.</summary>
        public void Restore()
        {
            Thread thread = _thread!;
            if (!ReferenceEquals(thread.Name, _name))
            {
                thread.Name = _name;
            }

            if (thread.Priority != _priority)
            {
                thread.Priority = _priority;
            }

            if (thread.IsBackground != _isBackground)
            {
                thread.IsBackground = _isBackground;
            }

            if (SynchronizationContext.Current is not null)
            {
                SynchronizationContext.SetSynchronizationContext(null);
            }

            if (_executionContext is not null && ExecutionContext.Capture() != _executionContext)
            {
                ExecutionContext.Restore(_executionContext);
            }
        }
    }
}
