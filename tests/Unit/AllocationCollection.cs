namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Allocation tests read a process-wide counter, so they run alone: no other test's allocations may land
/// inside their measured window.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation";
}
