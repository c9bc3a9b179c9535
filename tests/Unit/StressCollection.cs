namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The CPU-heavy stress and race tests: one collection, so that they run one after another (each wants both
/// processors) while other collections still run in parallel with them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StressCollection
{
    public const string Name = "Stress";
}
