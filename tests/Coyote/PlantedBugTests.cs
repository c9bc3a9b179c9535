using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// The scenarios' teeth: each planted bug (see PlantedBugs/PlantedBug.cs) must be caught by the scenario
/// aimed at it, on every channel, within the CI iteration budget. A bug that survives fails the test: the
/// scenarios would then be too weak to catch its real-life twin.
/// </summary>
public sealed class PlantedBugTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string> BugsAndTheScenariosThatMustCatchThem
    {
        get
        {
            (string Bug, Scenario CaughtBy)[] pairs =
            [
                ("NoRecheckAfterParking", WaitToReadConsumers.Scenario),
                ("NoRecheckAfterParking", WaitToWriteProducers.Scenario),
                ("CheckThenActClaim", CancellationRacesReadHandOff.Scenario),
                ("CheckThenActClaim", CancellationRacesWriteHandOff.Scenario),
                ("CheckThenActDequeue", ManyWritersManyReaders.Scenario),
                ("CompletionForgetsOneWaiter", CompletionRacesParkedOperations.Scenario),
                ("CancellationAlsoDelivers", CancellationRacesReadHandOff.Scenario),
                ("CancellationAlsoDelivers", CancellationRacesWriteHandOff.Scenario),
            ];
            var cases = new TheoryData<string, string, string>();
            foreach ((string bug, Scenario caughtBy) in pairs)
            {
                foreach (ChannelUnderTest channel in PlantedBugChannels.All)
                {
                    cases.Add(bug, caughtBy.Name, channel.Name);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(BugsAndTheScenariosThatMustCatchThem))]
    public void Planted_bug_is_caught(string bug, string scenario, string channel)
    {
        Scenario run = ScenarioCatalog.Named(scenario);
        ChannelUnderTest target = PlantedBugChannels.Named(channel);
        SystematicTestResult result;
        using (PlantedBugChannels.Activate(bug))
        {
            result = SystematicTest.Run(
                $"{bug} vs {scenario} on {channel}",
                () => run.RunAsync(target.Create()),
                CoyoteSettings.Iterations,
                CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
                output);
        }

        result.AssertCaught(bug);
        if (result.WasRun)
        {
            output.WriteLine($"CAUGHT {bug} with {scenario} on {channel} at iteration {result.BugIteration}.");
        }
    }

    [Theory]
    [MemberData(nameof(ChannelNames))]
    public void With_no_bug_planted_the_copy_passes(string channel)
    {
        // The hooks must be inert when switched off, or a catch above could be the hooks' doing, not the bug's.
        ChannelUnderTest target = PlantedBugChannels.Named(channel);
        SystematicTestResult result = SystematicTest.Run(
            $"no planted bug, {nameof(ManyWritersManyReaders)} on {channel}",
            () => ManyWritersManyReaders.Scenario.RunAsync(target.Create()),
            CoyoteSettings.SanityCheckIterations,
            CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
            output);

        result.AssertNoBugFound();
    }

    public static TheoryData<string> ChannelNames => [.. PlantedBugChannels.All.Select(channel => channel.Name)];
}
