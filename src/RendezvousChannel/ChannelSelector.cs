// ChannelSelector: a reusable select over read and write clauses on our channels (Go's select, Kotlin's select).

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Selection;

namespace Rendezvous.Channels;

/// <summary>
/// Waits on several channel operations at once and completes exactly one of them: built once (clauses added with
/// <see cref="AddRead{T}"/> and <see cref="AddWrite{T}(ChannelWriter{T}, T)"/>), then selected with
/// <see cref="TrySelect"/> or <see cref="SelectAsync"/> as many times as needed, allocating nothing in steady state.
/// </summary>
/// <remarks>
/// <para>A select ends with exactly one clause: a read clause took one item, or a write clause handed its item
/// over, or that clause's channel is closed (<see cref="SelectResult.IsClosed"/>). Every other clause took nothing
/// and handed nothing over, and left its channel as if the select had never come.</para>
/// <para>Only <see cref="RendezvousChannel{T}"/> and <see cref="RingBufferChannel{T}"/> readers and writers can be
/// clauses; any other <see cref="ChannelReader{T}"/> or <see cref="ChannelWriter{T}"/> is refused with
/// <see cref="ArgumentException"/> when added.</para>
/// <para>A selector runs one select at a time: starting another while one is pending throws
/// <see cref="InvalidOperationException"/>. Clauses are added before the first select.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ChannelSelector
{
    private readonly List<SelectClause> _clauses = [];

    /// <summary>Creates an empty selector with <see cref="SelectFairness.Random"/> fairness.</summary>
    public ChannelSelector()
        : this(SelectFairness.Random)
    {
    }

    /// <summary>Creates an empty selector.</summary>
    /// <param name="fairness">Which clause wins when several are ready at once.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fairness"/> is not a defined value.</exception>
    public ChannelSelector(SelectFairness fairness)
    {
        if (fairness is not SelectFairness.Random and not SelectFairness.Biased)
        {
            throw new ArgumentOutOfRangeException(nameof(fairness), fairness, "Fairness is Random or Biased.");
        }

        Fairness = fairness;
        Core = new SelectCore(fairness);
    }

    /// <summary>Which clause wins when several are ready at once.</summary>
    public SelectFairness Fairness { get; }

    /// <summary>The select machinery (Selection/SelectCore.cs): state word, passes, parking.</summary>
    internal SelectCore Core { get; }

    /// <summary>The clauses, in the order they were added.</summary>
    public IReadOnlyList<SelectClause> Clauses => _clauses;

    /// <summary>Adds a clause that reads one item from <paramref name="reader"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="reader"/> is not the reader of one of our channels.</exception>
    /// <exception cref="InvalidOperationException">A select is pending.</exception>
    public SelectReadClause<T> AddRead<T>(ChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ISelectPort<T>? port = SelectPorts.Of(reader);
        if (port is null)
        {
            SelectThrowHelper.ThrowArgument_ForeignReader(nameof(reader));
        }

        EnsureCanAdd();
        var clause = new SelectReadClause<T>(this, _clauses.Count, reader, port);
        _clauses.Add(clause);
        Core.Add(clause);
        return clause;
    }

    /// <summary>Adds a clause that writes one item to <paramref name="writer"/>, offering <paramref name="item"/> until changed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="writer"/> is not the writer of one of our channels.</exception>
    /// <exception cref="InvalidOperationException">A select is pending.</exception>
    public SelectWriteClause<T> AddWrite<T>(ChannelWriter<T> writer, T item)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ISelectPort<T>? port = SelectPorts.Of(writer);
        if (port is null)
        {
            SelectThrowHelper.ThrowArgument_ForeignWriter(nameof(writer));
        }

        EnsureCanAdd();
        var clause = new SelectWriteClause<T>(this, _clauses.Count, writer, port, item);
        _clauses.Add(clause);
        Core.Add(clause);
        return clause;
    }

    /// <summary>Adds a clause that writes to <paramref name="writer"/>; set <see cref="SelectWriteClause{T}.Item"/> before selecting.</summary>
    public SelectWriteClause<T> AddWrite<T>(ChannelWriter<T> writer) => AddWrite<T>(writer, default!);

    /// <summary>
    /// The non-blocking select (Go's <c>default</c>): takes one ready clause, if any, without waiting.
    /// </summary>
    /// <returns>True with the outcome if a clause was ready (including a closed channel); false if none was.</returns>
    /// <exception cref="InvalidOperationException">No clause is enabled, or a select is pending.</exception>
    public bool TrySelect(out SelectResult result) => Core.TrySelect(out result);

    /// <summary>Waits until one clause can take effect (or finds its channel closed), and takes it.</summary>
    /// <param name="cancellationToken">Cancels the wait; a canceled select leaves every channel as if it had never come.</param>
    /// <exception cref="OperationCanceledException">The token was canceled before a clause took effect.</exception>
    /// <exception cref="InvalidOperationException">No clause is enabled, or a select is pending.</exception>
    public ValueTask<SelectResult> SelectAsync(CancellationToken cancellationToken = default) => Core.SelectAsync(cancellationToken);

    private void EnsureCanAdd()
    {
        if (Core.IsActive)
        {
            SelectThrowHelper.ThrowInvalidOperation_AddWhilePending();
        }

        if (_clauses.Count >= SelectState.MaxClauses)
        {
            SelectThrowHelper.ThrowInvalidOperation_TooManyClauses();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"ChannelSelector, {_clauses.Count} clauses, {Fairness}";
}
