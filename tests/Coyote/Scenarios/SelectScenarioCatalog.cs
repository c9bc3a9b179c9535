using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>Every select scenario the real library must pass, by name (test cases name them).</summary>
internal static class SelectScenarioCatalog
{
    public static IReadOnlyList<SelectScenario> All { get; } =
    [
        SelectReadsRaceWriters.Scenario,
        SelectWritesRaceReaders.Scenario,
        SelectMeetsSelectCrosswise.Scenario,
        SelectMeetsSelectOnBothChannels.Scenario,
        SelectReadRacesCancellation.Scenario,
        SelectWriteRacesCancellation.Scenario,
        SelectRacesCompletion.Scenario,
        SelectNeverMatchesItself.Scenario,
        MixedSelectsMeetEachOther.Scenario,
        OneSelectorTwoCallers.Scenario,
        TrySelectMeetsParkedPartners.Scenario,
        ReadAnyRacesWriters.Scenario,
    ];

    public static SelectScenario Named(string name) => All.Single(scenario => scenario.Name == name);

    public static SelectChannels Channels(string name) => SelectChannels.Both.Single(channels => channels.Name == name);
}
