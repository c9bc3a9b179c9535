// ChannelCompletion: a channel's completion state and Completion task, with System.Threading.Channels' exact semantics.

using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Parking;

/// <summary>
/// The completion state both channels share: whether writing is done, with which error, and the
/// <see cref="ChannelReader{T}.Completion"/> task. Follows System.Threading.Channels to the letter: a
/// completion error that is an <see cref="OperationCanceledException"/> cancels the task and is rethrown
/// as is; any other error faults the task and is wrapped in <see cref="ChannelClosedException"/> by reads
/// and writes.
/// </summary>
internal sealed class ChannelCompletion
{
    /// <summary>Stands for "done without an error" in <see cref="_doneWriting"/>.</summary>
    private static readonly Exception s_doneWithoutError = new ChannelClosedException();

    /// <summary>Null while writing is open; set once, by CAS, to the error or <see cref="s_doneWithoutError"/>.</summary>
    private Exception? _doneWriting;

    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the channel is done and drained.</summary>
    public Task Task => _completion.Task;

    /// <summary>Whether writing is done (the channel was completed).</summary>
    public bool IsDone => Volatile.Read(ref _doneWriting) is not null;

    /// <summary>The completion error, or null if the channel is open or completed without one.</summary>
    public Exception? Error
    {
        get
        {
            Exception? done = Volatile.Read(ref _doneWriting);
            return ReferenceEquals(done, s_doneWithoutError) ? null : done;
        }
    }

    /// <summary>Marks writing done; only the first call succeeds.</summary>
    public bool TryMarkDone(Exception? error) =>
        // Publish "done": the first CAS wins; every operation that reads it after this fails or drains.
        Interlocked.CompareExchange(ref _doneWriting, error ?? s_doneWithoutError, null) is null;

    /// <summary>Completes <see cref="Task"/> with the channel's outcome (idempotent).</summary>
    public void SignalDrained()
    {
        switch (Error)
        {
            case null:
                _completion.TrySetResult();
                break;
            case OperationCanceledException canceled:
                _completion.TrySetCanceled(canceled.CancellationToken);
                break;
            case Exception error:
                _completion.TrySetException(error);
                break;
        }
    }

    /// <summary>The exception a read or write of the completed channel throws.</summary>
    public Exception CreateClosedException() => Error switch
    {
        OperationCanceledException canceled => canceled,
        Exception error => new ChannelClosedException(error),
        null => new ChannelClosedException(),
    };

    /// <summary>
    /// A read refused because the channel is completed and drained. As in System.Threading.Channels, it is
    /// canceled if the completion error is an <see cref="OperationCanceledException"/>, else faulted (a refused
    /// write is always faulted: <see cref="ClosedWriteResult"/>).
    /// </summary>
    public ValueTask<T> ClosedReadResult<T>() => Error is OperationCanceledException canceled
        ? ValueTask.FromCanceled<T>(CanceledToken(canceled))
        : ValueTask.FromException<T>(CreateClosedException());

    /// <summary>A write refused because the channel is completed: always faulted, with <see cref="CreateClosedException"/>.</summary>
    public ValueTask ClosedWriteResult() => ValueTask.FromException(CreateClosedException());

    /// <summary>A token that is canceled: the exception's own if it is, else a fresh canceled one.</summary>
    private static CancellationToken CanceledToken(OperationCanceledException canceled) =>
        canceled.CancellationToken.IsCancellationRequested ? canceled.CancellationToken : new CancellationToken(canceled: true);

    /// <summary>What WaitToReadAsync/WaitToWriteAsync return once nothing more can happen.</summary>
    public ValueTask<bool> WaitResultWhenDone() =>
        Error is Exception error ? ValueTask.FromException<bool>(error) : new ValueTask<bool>(false);
}
