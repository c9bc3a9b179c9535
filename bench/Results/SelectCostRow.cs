namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>One kind's select-cost figures: the awaited pair and the non-blocking pair.</summary>
/// <param name="Parameters">The case, e.g. <c>Kind=Ring1024</c>.</param>
/// <param name="Async">SelectAsync against ReadAsync.</param>
/// <param name="Sync">TrySelect against TryRead.</param>
internal sealed record SelectCostRow(string Parameters, SelectCost Async, SelectCost Sync);
