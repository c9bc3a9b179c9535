using System;
using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// One async loop's side of an <see cref="InlineRendezvous"/>: the reusable <see cref="IValueTaskSource{TResult}"/>
/// (reads) and <see cref="IValueTaskSource"/> (writes) it parks on, one operation at a time. Single-threaded by
/// design: plain fields, no atomics, and a woken continuation goes to the rendezvous's run queue, never inline.
/// </summary>
internal sealed class InlineParty : IValueTaskSource<int>, IValueTaskSource
{
    private readonly InlineRendezvous _rendezvous;

    /// <summary>The awaiter's continuation once it attached, until it runs.</summary>
    private Action<object?>? _continuation;

    private object? _continuationState;

    /// <summary>Whether the current operation's outcome is set (a partner met it).</summary>
    private bool _completed;

    public InlineParty(InlineRendezvous rendezvous) => _rendezvous = rendezvous;

    /// <summary>The current operation's token; moves on when its result is read.</summary>
    public short Token { get; private set; }

    /// <summary>A parked writer's item, or the item a partner handed to a parked reader.</summary>
    public int Item { get; set; }

    /// <summary>A partner met this party's parked operation: its continuation is queued to run (or runs when attached).</summary>
    public void Complete()
    {
        Debug.Assert(!_completed, "An operation completes once.");
        _completed = true;
        if (_continuation is not null)
        {
            _rendezvous.Schedule(this);
        }
    }

    /// <summary>Run by the rendezvous's loop: resumes the awaiting async loop.</summary>
    public void RunContinuation()
    {
        Action<object?> continuation = _continuation!;
        object? state = _continuationState;
        _continuation = null;
        _continuationState = null;
        continuation(state);
    }

    public ValueTaskSourceStatus GetStatus(short token) =>
        _completed ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _continuation = continuation;
        _continuationState = state;
        if (_completed)
        {
            _rendezvous.Schedule(this);
        }
    }

    public int GetResult(short token)
    {
        if (token != Token || !_completed)
        {
            throw new InvalidOperationException("The inline rendezvous was awaited out of turn.");
        }

        _completed = false;
        Token++;
        return Item;
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);
}
