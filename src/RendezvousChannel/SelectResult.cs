// SelectResult: which clause of a select took effect, or whose channel turned out to be closed.

using System;
using System.Diagnostics;

namespace Rendezvous.Channels;

/// <summary>
/// The outcome of one select: exactly one clause, which either took effect (a read clause took one item, now in
/// <see cref="SelectReadClause{T}.Item"/>; a write clause handed its item over) or found its channel closed
/// (<see cref="IsClosed"/>; nothing was taken or handed over by any clause).
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct SelectResult : IEquatable<SelectResult>
{
    internal SelectResult(SelectClause clause, bool isClosed, Exception? completionError)
    {
        Clause = clause;
        IsClosed = isClosed;
        CompletionError = completionError;
    }

    /// <summary>The clause that ended the select.</summary>
    public SelectClause Clause { get; }

    /// <summary>The index of <see cref="Clause"/> in its selector (the order clauses were added, from 0).</summary>
    public int Index => Clause.Index;

    /// <summary>
    /// True when the clause's channel is closed: for a read clause, completed and drained; for a write clause,
    /// completed. Nothing was read or written by the select.
    /// </summary>
    public bool IsClosed { get; }

    /// <summary>When <see cref="IsClosed"/>, the error the channel was completed with, if any; otherwise null.</summary>
    public Exception? CompletionError { get; }

    /// <summary>Whether <paramref name="clause"/> is the one that ended the select.</summary>
    public bool Is(SelectClause clause) => ReferenceEquals(Clause, clause);

    /// <inheritdoc/>
    public bool Equals(SelectResult other) =>
        ReferenceEquals(Clause, other.Clause) && IsClosed == other.IsClosed && ReferenceEquals(CompletionError, other.CompletionError);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SelectResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Clause, IsClosed, CompletionError);

    /// <summary>Whether two results name the same clause with the same outcome.</summary>
    public static bool operator ==(SelectResult left, SelectResult right) => left.Equals(right);

    /// <summary>Whether two results differ.</summary>
    public static bool operator !=(SelectResult left, SelectResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() =>
        Clause is null ? "(none)" : $"clause {Index}{(IsClosed ? ", channel closed" : string.Empty)}";
}
