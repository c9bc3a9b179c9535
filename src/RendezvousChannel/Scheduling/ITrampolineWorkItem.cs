using System.Threading;

namespace Rendezvous.Channels.Scheduling;

/// <summary>
/// A woken operation whose continuation can run either as a thread-pool work item or, chained, on the
/// <see cref="ContinuationTrampoline"/> of the worker that woke it.
/// </summary>
internal interface ITrampolineWorkItem : IThreadPoolWorkItem
{
    /// <summary>Runs the continuation once, on the calling thread, in the context it was scheduled with.</summary>
    void RunContinuation();
}
