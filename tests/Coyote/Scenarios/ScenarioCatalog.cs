using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>Every scenario the real channels must pass, by name (test cases name them, so their names read well).</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        ManyWritersManyReaders.Scenario,
        CompletionRacesParkedOperations.Scenario,
        CancellationRacesReadHandOff.Scenario,
        CancellationRacesWriteHandOff.Scenario,
        WaitToReadConsumers.Scenario,
        WaitToReadConsumersRaceCompletion.Scenario,
        WaitToWriteProducers.Scenario,
        PooledWaiterReuse.Scenario,
        FifoWrapAround.Scenario,
    ];

    public static Scenario Named(string name) => All.Append(AbandonedReader.Scenario).Single(scenario => scenario.Name == name);
}
