using System;
using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The checks the select scenarios make besides <see cref="Oracle.DeliveredExactlyTheAccepted"/> (every item
/// delivered exactly once, so nothing taken by a losing clause and nothing handed over by one). Items carry their
/// channel in their tens digit (A: 1x, B: 2x), so an item that went through the wrong clause shows.
/// </summary>
internal static class SelectOracle
{
    /// <summary>A clause that took effect moved an item of its own channel (<paramref name="channel"/> 1 for A, 2 for B).</summary>
    public static void ThroughItsChannel(SelectOutcome outcome, int channel) =>
        Oracle.Holds(
            !outcome.IsClosed && outcome.Item / 10 == channel,
            $"Select outcome [{outcome}] should have moved an item of channel {(channel == 1 ? "A" : "B")}.");

    /// <summary>A closed outcome carries the channel's completion error (the same instance, or none).</summary>
    public static void ClosedWith(SelectOutcome outcome, Exception? error) =>
        Oracle.Holds(
            outcome.IsClosed && ReferenceEquals(outcome.CompletionError, error),
            $"Select outcome [{outcome}] should be closed with {(error is null ? "no error" : $"the error '{error.Message}'")}.");

    /// <summary>The items a select's clauses moved: read ones when <paramref name="writes"/> is false, else written ones.</summary>
    public static IEnumerable<int> Items(IEnumerable<SelectOutcome> outcomes, bool writes) =>
        outcomes.Where(outcome => !outcome.IsClosed && outcome.IsWrite == writes).Select(outcome => outcome.Item);

    /// <summary>Outcomes of the clause numbered <paramref name="clause"/> that took effect.</summary>
    public static IEnumerable<SelectOutcome> TookEffect(IEnumerable<SelectOutcome> outcomes, int clause) =>
        outcomes.Where(outcome => outcome.Clause == clause && !outcome.IsClosed);
}
