// ITrampolineWorkItem: a woken operation as the scheduling layer sees it: a work item that can run its continuation.

using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// A woken operation whose continuation <see cref="ContinuationScheduler"/> places: as a thread-pool work item,
/// chained on the <see cref="ContinuationTrampoline"/> of the worker that woke it, or posted to a captured context.
/// </summary>
internal interface ITrampolineWorkItem : IThreadPoolWorkItem
{
    /// <summary>
    /// Runs the continuation once, on the calling thread, in the ExecutionContext its awaiter captured (or, if it
    /// captured none, in the caller's): from the pool, a chain, or a captured SynchronizationContext or TaskScheduler.
    /// </summary>
    void RunContinuation();
}
