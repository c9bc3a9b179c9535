namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// Which clause a test selector tries first. The default fairness draws its starting clause from a generator
/// Coyote does not control, so a schedule it found could not be replayed; the scenarios use the biased
/// (in-order) select instead and let Coyote choose the order, through its own controlled random choice
/// (<see cref="Scenarios.SelectSetup.NewSelector"/>), so every priority is explored and every trace replays.
/// </summary>
internal enum SelectorOrder
{
    /// <summary>Biased, clauses held in the order the scenario added them.</summary>
    AsAdded,

    /// <summary>Biased, clauses held in the reverse order.</summary>
    Reversed,

    /// <summary>The selector's default (<c>SelectFairness.Random</c>), clauses as added.</summary>
    DefaultFairness,
}
