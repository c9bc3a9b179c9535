namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The tests of continuation chaining and its rescuer: the rescuer and its counters are process-wide, so these run
/// alone, never beside each other or any other test (another test's chains would move the counters they read).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SchedulerCollection
{
    public const string Name = "Scheduler";
}
