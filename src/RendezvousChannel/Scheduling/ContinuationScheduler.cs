// ContinuationScheduler: where a woken channel operation's continuation runs, decided in one place.
//
// The order of preference follows ManualResetValueTaskSourceCore (the awaiter's captured SynchronizationContext,
// then its TaskScheduler, then the thread pool's global queue), with one step of our own before the pool for channels
// in ContinuationMode.Chained: the waker's continuation trampoline (ContinuationTrampoline.cs, Go's runnext).

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// Decides where the continuation of a woken channel operation runs: in the SynchronizationContext or
/// TaskScheduler its awaiter captured (under the ExecutionContext it captured); otherwise, for a channel in
/// <see cref="ContinuationMode.Chained"/> mode, next on this worker's <see cref="ContinuationTrampoline"/> when the
/// waker is itself a chained continuation; else on the thread pool's global queue. Always asynchronously: user code never
/// runs inside the channel operation that woke it, so it can neither deadlock that operation nor dive its stack.
/// </summary>
internal static class ContinuationScheduler
{
    // Both run the continuation under the ExecutionContext its awaiter captured (RunContinuation), as
    // ManualResetValueTaskSourceCore does: Post and StartNew flow the waker's context, which is not the awaiter's.
    private static readonly SendOrPostCallback s_postToContext = static state => ((ITrampolineWorkItem)state!).RunContinuation();

    private static readonly Action<object?> s_runOnTaskScheduler = static state => ((ITrampolineWorkItem)state!).RunContinuation();

    /// <summary>
    /// For an awaiter that asks to continue on its scheduling context: the SynchronizationContext or TaskScheduler
    /// to post its continuation to, or null for the thread pool (no context, or only the default ones).
    /// </summary>
    public static object? CaptureSchedulingContext()
    {
#if COYOTE
        // Systematic testing (tests/Coyote): Coyote does not intercept SynchronizationContext.Current, so reading
        // it would be uncontrolled concurrency; under Coyote its own scheduler runs every continuation anyway.
        return null;
#else
        SynchronizationContext? syncContext = SynchronizationContext.Current;
        if (syncContext is not null && syncContext.GetType() != typeof(SynchronizationContext))
        {
            return syncContext;
        }

        return TaskScheduler.Current != TaskScheduler.Default ? TaskScheduler.Current : null;
#endif
    }

    /// <summary>
    /// Runs <paramref name="item"/>'s continuation, asynchronously, where it asked to run: on
    /// <paramref name="schedulingContext"/> (from <see cref="CaptureSchedulingContext"/>) if it has one; else, if
    /// <paramref name="mayChain"/> (its channel is in <see cref="ContinuationMode.Chained"/> mode), next on the
    /// waker's chain; else on the thread pool.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Schedule(ITrampolineWorkItem item, object? schedulingContext, bool mayChain)
    {
        if (schedulingContext is null)
        {
            // Woken from a chained continuation, a Chained-mode item runs next on this worker's trampoline (Go's
            // runnext). Every other wake-up goes to the pool's global queue, as the BCL's channels do: the local
            // queue is popped first by its own worker only, so a worker that blocks after waking (sync-over-async)
            // would make its wakee wait for a thief or for thread injection, and busy workers popping their local
            // queues ahead of the global one delay unrelated work. The item is the work item either way, so this
            // allocates nothing.
#if COYOTE
            // Systematic testing (tests/Coyote): Coyote controls tasks but not the thread pool's work items.
            _ = mayChain;
            _ = Task.Run(item.Execute);
#else
            if (!mayChain || !ContinuationTrampoline.TryDefer(item))
            {
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
#endif
        }
        else
        {
            ScheduleOnContext(item, schedulingContext);
        }
    }

    /// <summary>
    /// The thread pool runs a woken item (its <see cref="IThreadPoolWorkItem.Execute"/>): run its continuation, and
    /// then, if <paramref name="mayChain"/>, chained, the continuations it wakes. A ThreadPool-mode item never starts
    /// a chain, so it never costs the rescuer anything either.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunFromThreadPool(ITrampolineWorkItem item, bool mayChain)
    {
#if COYOTE
        // Systematic testing (tests/Coyote): each continuation runs in its own controlled task; nothing is chained.
        _ = mayChain;
        item.RunContinuation();
#else
        if (mayChain)
        {
            ContinuationTrampoline.Run(item);
        }
        else
        {
            item.RunContinuation();
        }
#endif
    }

    private static void ScheduleOnContext(ITrampolineWorkItem item, object schedulingContext)
    {
        if (schedulingContext is SynchronizationContext syncContext)
        {
            syncContext.Post(s_postToContext, item);
        }
        else
        {
            _ = Task.Factory.StartNew(
                s_runOnTaskScheduler,
                item,
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach,
                (TaskScheduler)schedulingContext);
        }
    }
}
