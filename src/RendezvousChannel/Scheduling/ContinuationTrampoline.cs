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
/// the waking continuation returns, instead of queueing it to the thread pool.
/// </summary>
/// <remarks>
/// <para>Why: between two async loops that meet on a channel, each hand-off otherwise costs a thread-pool
/// dispatch, and each enqueue asks the pool for another worker, which wakes, spins, and often steals the item
/// to the other core. A chain replaces both with one CAS.</para>
/// <para>The rules, which keep it safe:</para>
/// <list type="bullet">
/// <item><description>Only a thread that is running a chain (<see cref="Run"/>, i.e. the thread pool is running
/// one of our waiters) defers, and only while its FIFO has room; every other wake-up goes to the pool as
/// before.</description></item>
/// <item><description>A deferred continuation runs from the loop in <see cref="Run"/> after the waking one
/// has returned: never inside a channel operation, and never deeper on the stack.</description></item>
/// <item><description>A chain runs at most <see cref="ChainBudget"/> continuations, then hands the rest to the
/// pool, so that other work queued on this worker is not starved.</description></item>
/// <item><description>Between two continuations the thread gets back the ExecutionContext and
/// SynchronizationContext it started the chain with, as the thread pool resets them between work items.</description></item>
/// <item><description>Deferred continuations are stealable: if the waking continuation runs (or blocks) for a whole
/// tick of <see cref="StalledChainRescuer"/>, the rescuer hands what it deferred to the pool, so code that
/// blocks waiting for it cannot deadlock.</description></item>
/// <item><description>Stages that do long CPU work per item would run one after another on a chain where the
/// pool would run them in parallel: a thread whose chained continuations average more than
/// <see cref="LongContinuationMicroseconds"/>, or whose deferred continuation had to be rescued, stops deferring
/// for a while (<see cref="BackOffMilliseconds"/>, doubling while it recurs).</description></item>
/// </list>
/// <para>Trampolines live in a push-only list that the rescuer scans; one is owned by one thread at a time, and
/// the rescuer frees the trampolines of threads that have exited, for the next thread to reuse.</para>
/// </remarks>
[DebuggerDisplay("Running = {_running}, Deferred = {_tail - _head}")]
internal sealed class ContinuationTrampoline
{
    /// <summary>Continuations per chain before the rest go back to the pool: about a hundred microseconds of hand-offs.</summary>
    internal const int ChainBudget = 1024;

    /// <summary>
    /// Continuations one chain can hold deferred at once; more go to the pool. A writer can wake every parked
    /// reader in one go, and a wake that escapes to the pool brings a second worker in to contend.
    /// </summary>
    private const int DeferredCapacity = 8;

    /// <summary>Average length above which chained continuations look like CPU-heavy stages, better run in parallel.</summary>
    internal const int LongContinuationMicroseconds = 50;

    /// <summary>Chains in a row that must average long continuations before the thread backs off.</summary>
    internal const int LongChainsBeforeBackOff = 4;

    /// <summary>
    /// How long a thread first stops deferring once its continuations were seen to run long or to stall: short,
    /// because a preemption or a garbage collection looks the same as a stall. Each back-off within
    /// <see cref="MaxBackOffMilliseconds"/> of the previous one doubles, so a thread that keeps stalling (code
    /// that blocks in its continuations) soon chains almost nothing.
    /// </summary>
    internal const int BackOffMilliseconds = 16;

    /// <summary>The longest back-off.</summary>
    internal const int MaxBackOffMilliseconds = 1024;

    /// <summary>Whether woken continuations may be chained at all (AppContext switch, read once).</summary>
    private static readonly bool s_enabled = !AppContext.TryGetSwitch(DisableSwitchName, out bool disabled) || !disabled;

    /// <summary>The AppContext switch that turns chaining off for the whole process.</summary>
    internal const string DisableSwitchName = "RendezvousChannel.DisableContinuationChaining";

    /// <summary>This thread's trampoline, once it has run a chain.</summary>
    [ThreadStatic]
    private static ContinuationTrampoline? t_trampoline;

    /// <summary>Head of the list of every trampoline; push-only (entries are reused, never removed).</summary>
    private static ContinuationTrampoline? s_all;

    /// <summary>The next trampoline in <see cref="s_all"/>; written once, before the push that publishes this one.</summary>
    private ContinuationTrampoline? _nextInList;

    /// <summary>1 while a live thread owns this trampoline. Claimed by a CAS from 0; set back to 0 only by the rescuer, once the owner has exited.</summary>
    private int _owned;

    /// <summary>The owning thread; written by the claimer after its CAS on <see cref="_owned"/>.</summary>
    private Thread? _owner;

    /// <summary>
    /// 1 while the owner runs a chain. Set by an exchange, a full fence, before the owner reads whether the rescuer
    /// is ticking (the Dekker pair of <see cref="StalledChainRescuer"/>'s stop); cleared by a plain write.
    /// </summary>
    private int _running;

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

    /// <summary>Owner only: consecutive chains whose continuations averaged more than <see cref="LongContinuationMicroseconds"/>.</summary>
    private int _longChainsInARow;

    /// <summary>Environment.TickCount64 before which the owner defers nothing; 0 when it is not backing off.</summary>
    private long _backOffUntil;

    /// <summary>The last back-off's length, and when it ended (Environment.TickCount64); for the doubling.</summary>
    private int _backOffSpan = BackOffMilliseconds;
    private long _lastBackOff = long.MinValue / 2;

    /// <summary>Continuations the rescuer has handed to the pool since the process started (for diagnostics and tests).</summary>
    private static long s_rescued;

    /// <summary>How many deferred continuations the rescuer has stolen from stalled chains so far.</summary>
    internal static long RescuedCount => Volatile.Read(ref s_rescued);

    /// <summary>Whether the calling code runs in a chained continuation: one a chain ran after another (for tests).</summary>
    internal static bool InChainedContinuation =>
        t_trampoline is { } trampoline && trampoline._running != 0 && trampoline._started - trampoline._chainBegan > 1;

    /// <summary>The rescuer's snapshot of this trampoline from its previous tick: running, and <see cref="Started"/> then (touched only by the rescuer).</summary>
    internal bool SeenRunning;

    /// <inheritdoc cref="SeenRunning"/>
    internal int SeenStarted;

    /// <summary>
    /// Called where a woken continuation would be queued to the thread pool: defers it to this thread's chain
    /// instead, if this thread is running one and its FIFO has room. False: queue it as usual.
    /// </summary>
    public static bool TryDefer(ITrampolineWorkItem item)
    {
        ContinuationTrampoline? trampoline = t_trampoline;
        if (trampoline is null || trampoline._running == 0 || trampoline._tail - trampoline._head == DeferredCapacity ||
            trampoline.IsBackingOff())
        {
            return false;
        }

        trampoline.AssertOwnedByThisThread();
        // The slot is empty: the owner took or skipped its last continuation, or the rescuer stole it.
        ref ITrampolineWorkItem? slot = ref trampoline._deferred[trampoline._tail & (DeferredCapacity - 1)];
        Debug.Assert(Volatile.Read(ref slot) is null, "A slot is refilled only once emptied.");
        // Publish the deferred continuation to the rescuer: a release, so that whoever takes it (owner or
        // rescuer) sees the result its waker published before deferring it.
        Volatile.Write(ref slot, item);
        trampoline._tail++;
        return true;
    }

    /// <summary>
    /// The thread pool runs <paramref name="first"/>: run it, then, one after another, the continuations it and its
    /// successors defer, up to <see cref="ChainBudget"/>.
    /// </summary>
    public static void Run(ITrampolineWorkItem first)
    {
        if (!s_enabled)
        {
            first.RunContinuation();
            return;
        }

        ContinuationTrampoline trampoline = t_trampoline ?? Attach();
        if (trampoline._running != 0)
        {
            // Only the thread pool calls Execute, never from inside a work item; should anyone do so, do not nest chains.
            first.RunContinuation();
            return;
        }

        // Announce the chain before reading the rescuer's state: a full fence, so that a rescuer deciding to stop
        // either sees us running or is seen stopping by EnsureTicking (which then restarts it).
        Interlocked.Exchange(ref trampoline._running, 1);
        StalledChainRescuer.EnsureTicking();
        trampoline.RunChain(first);
    }

    private void RunChain(ITrampolineWorkItem first)
    {
        AssertOwnedByThisThread();
        // The contexts the pool gave us; each chained continuation starts from them, as a new work item would.
        ExecutionContext? executionContext = ExecutionContext.Capture();
        _chainBegan = _started;
        ITrampolineWorkItem? next = first;
        long chainStarted = 0;
        int ran = 0;
        try
        {
            while (true)
            {
                // Progress for the rescuer: a release, ordered before whatever the continuation defers.
                Volatile.Write(ref _started, _started + 1);
                next.RunContinuation();
                ran++;
                RestoreContexts(executionContext);
                next = TakeDeferred();
                if (next is null)
                {
                    return;
                }

                if (ran == 1)
                {
                    // Time only chains that chain: a lone continuation costs no clock read.
                    chainStarted = Stopwatch.GetTimestamp();
                }
                else if (ran == ChainBudget)
                {
                    // Budget spent: the rest of the chain waits its turn in the pool's global queue, behind the
                    // work queued meanwhile (a timer tick, another chain's leftovers). The worker's local queue
                    // would not do: the worker pops it first, so a busy chain would requeue itself there forever
                    // and starve the global queue, the rescuer's ticks included.
                    ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
                    return;
                }
            }
        }
        finally
        {
            // Whatever is still deferred (the budget is spent, or a continuation threw) must still run.
            for (ITrampolineWorkItem? left = TakeDeferred(); left is not null; left = TakeDeferred())
            {
                ThreadPool.UnsafeQueueUserWorkItem(left, preferLocal: false);
            }

            if (ran > 1)
            {
                NoteChainLength(Stopwatch.GetElapsedTime(chainStarted), ran - 1);
            }

            // The chain is over; a plain write suffices, the rescuer at worst ticks once more.
            Debug.Assert(_head == _tail, "A chain leaves nothing deferred.");
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Owner only: takes the oldest deferred continuation that the rescuer has not stolen.</summary>
    private ITrampolineWorkItem? TakeDeferred()
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
    /// Owner only, after a chain: backs off once <see cref="LongChainsBeforeBackOff"/> chains in a row averaged
    /// long continuations. One long chain proves nothing: a preemption or a garbage collection stretches any.
    /// </summary>
    private void NoteChainLength(TimeSpan chained, int continuations)
    {
        if (chained.Ticks <= continuations * LongContinuationMicroseconds * TimeSpan.TicksPerMicrosecond)
        {
            _longChainsInARow = 0;
        }
        else if (++_longChainsInARow == LongChainsBeforeBackOff)
        {
            _longChainsInARow = 0;
            BackOff();
        }
    }

    private bool IsBackingOff()
    {
        long until = _backOffUntil;
        if (until == 0)
        {
            return false;
        }

        if (Environment.TickCount64 < until)
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
        long now = Environment.TickCount64;
        int span = now - _lastBackOff > MaxBackOffMilliseconds ? BackOffMilliseconds : Math.Min(_backOffSpan * 2, MaxBackOffMilliseconds);
        _backOffSpan = span;
        _lastBackOff = now + span;
        Volatile.Write(ref _backOffUntil, now + span);
    }

    private static void RestoreContexts(ExecutionContext? executionContext)
    {
        if (SynchronizationContext.Current is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        if (executionContext is not null && ExecutionContext.Capture() != executionContext)
        {
            ExecutionContext.Restore(executionContext);
        }
    }

    /// <summary>Gives this thread a trampoline: a free one from the list, else a new one pushed onto it.</summary>
    private static ContinuationTrampoline Attach()
    {
        Thread thread = Thread.CurrentThread;
        for (ContinuationTrampoline? free = Volatile.Read(ref s_all); free is not null; free = free._nextInList)
        {
            // Claim a trampoline whose thread has exited (freed by the rescuer): the CAS makes us its only owner.
            if (Volatile.Read(ref free._owned) == 0 && Interlocked.CompareExchange(ref free._owned, 1, 0) == 0)
            {
                Volatile.Write(ref free._owner, thread);
                free._backOffUntil = 0;
                free._backOffSpan = BackOffMilliseconds;
                free._lastBackOff = long.MinValue / 2;
                return t_trampoline = free;
            }
        }

        var created = new ContinuationTrampoline { _owned = 1, _owner = thread };
        ContinuationTrampoline? head;
        do
        {
            head = Volatile.Read(ref s_all);
            created._nextInList = head;
        }
        // Publish the new trampoline: the CAS is a release of its fields, so the rescuer's scan sees them set.
        while (Interlocked.CompareExchange(ref s_all, created, head) != head);
        return t_trampoline = created;
    }

    [Conditional("DEBUG")]
    private void AssertOwnedByThisThread() =>
        Debug.Assert(Volatile.Read(ref _owner) == Thread.CurrentThread, "Only its owner thread runs or fills a trampoline.");

    [Conditional("DEBUG")]
    private void AssertNothingDeferred()
    {
        foreach (ITrampolineWorkItem? deferred in _deferred)
        {
            Debug.Assert(deferred is null, "A trampoline whose chain is over holds no deferred continuation.");
        }
    }

    /// <summary>Rescuer only: the first trampoline of the push-only list of every trampoline.</summary>
    internal static ContinuationTrampoline? First => Volatile.Read(ref s_all);

    /// <summary>Rescuer only: the next trampoline in the list.</summary>
    internal ContinuationTrampoline? Next => _nextInList;

    /// <summary>Whether a live thread (as far as the rescuer knows) owns this trampoline.</summary>
    internal bool IsOwned => Volatile.Read(ref _owned) != 0;

    /// <summary>Whether the owner is running a chain now.</summary>
    internal bool IsRunning => Volatile.Read(ref _running) != 0;

    /// <summary>How many continuations the owner has started; unchanged across a rescuer tick means one is still running.</summary>
    internal int Started => Volatile.Read(ref _started);

    /// <summary>
    /// Rescuer only, for a trampoline that is not running: frees it for another thread if its owner has exited
    /// (not running, so nothing is deferred).
    /// </summary>
    internal void FreeIfOwnerExited()
    {
        Thread? owner = Volatile.Read(ref _owner);
        if (owner is not null && !owner.IsAlive &&
            Interlocked.CompareExchange(ref _owner, null, owner) == owner)
        {
            // The CAS frees it once, for that dead owner only, never a trampoline a new thread has claimed since.
            AssertNothingDeferred();
            Volatile.Write(ref _owned, 0);
        }
    }

    /// <summary>
    /// Rescuer only: hands every deferred continuation to the pool. Each CAS races the owner's take; exactly one
    /// of them gets each continuation. Returns whether anything was stolen.
    /// </summary>
    internal bool StealDeferred()
    {
        bool stole = false;
        for (int i = 0; i < DeferredCapacity; i++)
        {
            ref ITrampolineWorkItem? slot = ref _deferred[i];
            ITrampolineWorkItem? deferred = Volatile.Read(ref slot);
            if (deferred is not null && Interlocked.CompareExchange(ref slot, null, deferred) == deferred)
            {
                ThreadPool.UnsafeQueueUserWorkItem(deferred, preferLocal: false);
                Interlocked.Increment(ref s_rescued);
                stole = true;
            }
        }

        return stole;
    }
}
