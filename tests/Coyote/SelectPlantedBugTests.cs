extern alias PlantedBugs;

using System;
using SelectBug = PlantedBugs::Rendezvous.Channels.Selection.SelectBug;
using SelectHooks = PlantedBugs::Rendezvous.Channels.Selection.SelectHooks;

namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// The select scenarios' teeth: each planted select bug (PlantedBugs/SelectHooks.cs) must be caught by the
/// scenarios aimed at it, on both channel pairs, within the CI iteration budget, as <see cref="PlantedBugTests"/>
/// does for the parking layer. A bug that survives fails the test.
/// </summary>
public sealed class SelectPlantedBugTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> BugsAndTheScenariosThatMustCatchThem
    {
        get
        {
            (string Bug, SelectScenario CaughtBy)[] pairs =
            [
                // A clause tried after another took effect takes an item (or hands one over) that the select drops.
                (nameof(SelectBug.LosingClauseConsumes), SelectReadsRaceWriters.Scenario),
                (nameof(SelectBug.LosingClauseConsumes), SelectWritesRaceReaders.Scenario),
                // Two claimers of one parked select both win: a partner and the cancellation, or two partners.
                (nameof(SelectBug.ClaimWithoutCas), SelectReadRacesCancellation.Scenario),
                (nameof(SelectBug.ClaimWithoutCas), SelectReadsRaceWriters.Scenario),
            ];
            var cases = new TheoryData<string, string, string>();
            foreach ((string bug, SelectScenario caughtBy) in pairs)
            {
                foreach (SelectChannels channels in caughtBy.Channels)
                {
                    cases.Add(bug, caughtBy.Name, channels.Name);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(BugsAndTheScenariosThatMustCatchThem))]
    public void Planted_select_bug_is_caught(string bug, string scenario, string channels)
    {
        SelectScenario run = SelectScenarioCatalog.Named(scenario);
        SelectChannels pair = SelectScenarioCatalog.Channels(channels);
        SystematicTestResult result;
        using (Activate(bug))
        {
            result = SystematicTest.Run(
                $"{bug} vs {scenario} on {channels}",
                () => run.RunAsync(new SelectSetup(PlantedBugSelectLibrary.Library, pair)),
                CoyoteSettings.Iterations,
                CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
                output);
        }

        result.AssertCaught(bug);
        if (result.WasRun)
        {
            output.WriteLine($"CAUGHT {bug} with {scenario} on {channels} at iteration {result.BugIteration}.");
        }
    }

    [Theory]
    [MemberData(nameof(ChannelNames))]
    public void With_no_select_bug_planted_the_copy_passes(string channels)
    {
        // The hooks must be inert when switched off, or a catch above could be the hooks' doing, not the bug's.
        SelectChannels pair = SelectScenarioCatalog.Channels(channels);
        SystematicTestResult result = SystematicTest.Run(
            $"no planted select bug, {nameof(SelectReadsRaceWriters)} on {channels}",
            () => SelectReadsRaceWriters.Scenario.RunAsync(new SelectSetup(PlantedBugSelectLibrary.Library, pair)),
            CoyoteSettings.SanityCheckIterations,
            CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
            output);

        result.AssertNoBugFound();
    }

    public static TheoryData<string> ChannelNames => [.. Array.ConvertAll(SelectChannels.Both, channels => channels.Name)];

    /// <summary>Turns on the planted select bug named <paramref name="bug"/> until the returned scope is disposed.</summary>
    private static Deactivation Activate(string bug)
    {
        SelectHooks.Active = Enum.Parse<SelectBug>(bug);
        return new Deactivation();
    }

    private sealed class Deactivation : IDisposable
    {
        public void Dispose() => SelectHooks.Active = SelectBug.None;
    }
}
