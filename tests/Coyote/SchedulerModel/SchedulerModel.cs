// SchedulerModel: the chaining state machine (ContinuationTrampoline + StalledChainRescuer) driven by Coyote-controlled
// tasks: owners that run chains, defer, take and block, a rescuer that ticks, and threads that attach trampolines.
//
// Compiled into both library copies (ControlledLibrary/, PlantedBugs/; see LibraryCopy.props), next to the real
// scheduling types, and rewritten with them; the tests (SchedulerModelTests.cs) call it through each copy's alias.
// Nothing here is a thread static or a timer: ModelHost plays the clock, the timer and the thread pool.

using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Scheduling;

/// <summary>The scenarios. Each throws (an assertion) or deadlocks if the state machine breaks its promise.</summary>
internal static class SchedulerModel
{
    /// <summary>
    /// Owner 1 runs a chain whose first continuation defers two, the first of which blocks until the second has run
    /// (sync-over-async inside a chain): only the rescuer can run the second, by stealing it, and it races the owner's
    /// take of the first. Meanwhile owner 2 runs two short chains that defer and take one continuation each, so that
    /// ticks start, go idle and stop while owner 1 defers. Promises: every deferred continuation runs exactly once
    /// (owner's take vs rescuer's steal), the timer is never started twice nor stopped while stopped, and nothing
    /// hangs (a stop that misses a chain's first deferral leaves owner 1 blocked forever: Coyote reports a deadlock).
    /// </summary>
    public static async Task StalledChainIsRescued()
    {
        var host = new ModelHost();
        var rescuer = new StalledChainRescuer(host);
        Task ticks = Task.Run(() => host.RescuerLoop(rescuer));

        var second = new ModelItem("second", blockOn: null);
        var first = new ModelItem("first", blockOn: second);
        var plain = new[] { new ModelItem("plain 1", null), new ModelItem("plain 2", null) };

        Task owner1 = Task.Run(async () =>
        {
            ContinuationTrampoline trampoline = rescuer.Attach(new ModelOwner());
            trampoline.BeginChain();
            trampoline.NoteStarted();
            // The pool-dispatched continuation wakes two partners: both are deferred to this chain.
            Defer(trampoline, host, first);
            Defer(trampoline, host, second);
            await RunDeferred(trampoline);
            trampoline.EndChain();
        });

        Task owner2 = Task.Run(async () =>
        {
            ContinuationTrampoline trampoline = rescuer.Attach(new ModelOwner());
            foreach (ModelItem item in plain)
            {
                trampoline.BeginChain();
                trampoline.NoteStarted();
                Defer(trampoline, host, item);
                await RunDeferred(trampoline);
                trampoline.EndChain();
                await Task.Yield();
            }
        });

        await owner1;
        await owner2;
        await host.FinishAsync(ticks);
        foreach (ModelItem item in new[] { first, second, plain[0], plain[1] })
        {
            item.AssertRanOnce();
        }
    }

    /// <summary>
    /// Thread A runs a chain, hands its leftover to the pool and exits; while the rescuer's ticks free A's
    /// trampoline, threads B and C attach at once. Promises: B and C never share a trampoline (the ownership CAS),
    /// and both are in the rescuer's list (the push CAS), or the rescuer could never steal from them.
    /// </summary>
    public static async Task TrampolinesAreOwnedOnce()
    {
        var host = new ModelHost();
        var rescuer = new StalledChainRescuer(host);
        Task ticks = Task.Run(() => host.RescuerLoop(rescuer));

        var ownerA = new ModelOwner();
        ContinuationTrampoline a = rescuer.Attach(ownerA);
        var leftover = new ModelItem("leftover", null);
        a.BeginChain();
        a.NoteStarted();
        Defer(a, host, leftover);
        a.EndChain();
        ownerA.Alive = false;

        Task<ContinuationTrampoline> b = Task.Run(() => rescuer.Attach(new ModelOwner()));
        Task<ContinuationTrampoline> c = Task.Run(() => rescuer.Attach(new ModelOwner()));
        ContinuationTrampoline[] attached = [await b, await c];
        await host.FinishAsync(ticks);

        Check(!ReferenceEquals(attached[0], attached[1]), "Two live threads own the same trampoline.");
        var listed = new HashSet<ContinuationTrampoline>();
        for (ContinuationTrampoline? t = rescuer.First; t is not null; t = t.Next)
        {
            listed.Add(t);
        }

        Check(listed.Contains(attached[0]) && listed.Contains(attached[1]), "An attached trampoline is missing from the rescuer's list.");
        leftover.AssertRanOnce();
    }

    /// <summary>A continuation the running one wakes: deferred to the chain, or, if the chain cannot take it, queued.</summary>
    private static void Defer(ContinuationTrampoline trampoline, ModelHost host, ModelItem item)
    {
        if (!trampoline.TryDeferHere(item))
        {
            host.Queue(item);
        }
    }

    /// <summary>The chain's loop: take the oldest deferred continuation the rescuer has not stolen, run it, repeat.</summary>
    private static async Task RunDeferred(ContinuationTrampoline trampoline)
    {
        for (ITrampolineWorkItem? next = trampoline.TakeDeferred(); next is not null; next = trampoline.TakeDeferred())
        {
            trampoline.NoteStarted();
            await ((ModelItem)next).RunAsync();
        }
    }

    internal static void Check(bool condition, string broken)
    {
        if (!condition)
        {
            throw new InvalidOperationException(broken);
        }
    }
}

/// <summary>A thread that owns a trampoline; the model says when it exits.</summary>
internal sealed class ModelOwner
{
    public bool Alive { get; set; } = true;
}

/// <summary>A deferred continuation: counts its runs; may block (await) until another one has run.</summary>
internal sealed class ModelItem(string name, ModelItem? blockOn) : ITrampolineWorkItem
{
    private readonly TaskCompletionSource _ran = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public async Task RunAsync()
    {
        _runs++;
        if (blockOn is not null)
        {
            await blockOn._ran.Task;
        }

        _ran.TrySetResult();
    }

    public void AssertRanOnce() => SchedulerModel.Check(_runs == 1, $"Continuation '{name}' ran {_runs} times, not once.");

    // The model's host runs items itself (ModelHost.Queue); nothing else may.
    public void Execute() => throw new InvalidOperationException("Only the model host runs a model item.");

    public void RunContinuation() => throw new InvalidOperationException("Only the model host runs a model item.");
}

/// <summary>
/// The outside world of the model: a clock that never moves (a back-off, once started, lasts), a timer that is a
/// flag the rescuer loop waits on, and a thread pool that runs each queued continuation in a controlled task.
/// </summary>
internal sealed class ModelHost : IChainHost
{
    private readonly List<Task> _queued = [];
    private TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _ticking;
    private bool _done;

    public long NowMilliseconds => 0;

    public void StartTicking()
    {
        SchedulerModel.Check(!_ticking, "The timer was started while it was running.");
        _ticking = true;
        _started.TrySetResult();
    }

    public void StopTicking()
    {
        SchedulerModel.Check(_ticking, "The timer was stopped while it was stopped.");
        _ticking = false;
        _started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Queue(ITrampolineWorkItem item) => _queued.Add(Task.Run(((ModelItem)item).RunAsync));

    public bool IsAlive(object owner) => ((ModelOwner)owner).Alive;

    /// <summary>The timer: ticks while started, waits for a start while stopped, ends once the scenario is over.</summary>
    public async Task RescuerLoop(StalledChainRescuer rescuer)
    {
        while (!_done)
        {
            if (!_ticking)
            {
                await _started.Task;
                continue;
            }

            rescuer.OnTick();
            await Task.Yield();
        }
    }

    /// <summary>Ends the rescuer loop, then waits for every continuation queued to the "pool".</summary>
    public async Task FinishAsync(Task rescuerLoop)
    {
        _done = true;
        _started.TrySetResult();
        await rescuerLoop;
        // Sequentially: Task.WhenAll is not among the calls Coyote controls. Nothing is queued any more.
        foreach (Task queued in _queued.ToArray())
        {
            await queued;
        }
    }
}
