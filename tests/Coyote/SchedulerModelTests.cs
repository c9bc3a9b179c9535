extern alias Controlled;
extern alias PlantedBugs;

using System;
using System.Threading.Tasks;
using ControlledModel = Controlled::Rendezvous.Channels.Scheduling.SchedulerModel;
using PlantedModel = PlantedBugs::Rendezvous.Channels.Scheduling.SchedulerModel;
using SchedulingBug = PlantedBugs::Rendezvous.Channels.Scheduling.SchedulingBug;
using SchedulingBugHooks = PlantedBugs::Rendezvous.Channels.Scheduling.SchedulingBugHooks;

namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// The continuation scheduler's state machine under systematic test: the owner's take against the rescuer's steal,
/// a chain's first deferral against the rescuer's stop, trampoline ownership. Under COYOTE the channels never chain,
/// so these drive the trampoline and the rescuer directly (SchedulerModel/SchedulerModel.cs), with Coyote-controlled
/// owners, rescuer and attaching threads; then show that two planted bugs are caught.
/// </summary>
public sealed class SchedulerModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scenarios => new() { nameof(ControlledModel.StalledChainIsRescued), nameof(ControlledModel.TrampolinesAreOwnedOnce) };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scheduler_scenario_finds_no_bug(string scenario)
    {
        Func<Task> run = scenario == nameof(ControlledModel.StalledChainIsRescued)
            ? ControlledModel.StalledChainIsRescued
            : ControlledModel.TrampolinesAreOwnedOnce;
        SystematicTestResult result = SystematicTest.Run(
            $"scheduler {scenario}", run, CoyoteSettings.Iterations, CoyoteSettings.SeedOrRandom, output);
        result.AssertNoBugFound();
    }

    [Theory]
    [InlineData(nameof(SchedulingBug.StealWithoutCas))]
    [InlineData(nameof(SchedulingBug.StopMissesStartingChain))]
    public void Planted_scheduler_bug_is_caught(string bug)
    {
        SystematicTestResult result;
        SchedulingBugHooks.Active = Enum.Parse<SchedulingBug>(bug);
        try
        {
            result = SystematicTest.Run(
                $"{bug} vs scheduler {nameof(PlantedModel.StalledChainIsRescued)}",
                PlantedModel.StalledChainIsRescued,
                CoyoteSettings.Iterations,
                CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
                output);
        }
        finally
        {
            SchedulingBugHooks.Active = SchedulingBug.None;
        }

        result.AssertCaught(bug);
        if (result.WasRun)
        {
            output.WriteLine($"CAUGHT {bug} at iteration {result.BugIteration}.");
        }
    }

    [Fact]
    public void With_no_scheduler_bug_planted_the_copy_passes()
    {
        SystematicTestResult result = SystematicTest.Run(
            $"no planted bug, scheduler {nameof(PlantedModel.StalledChainIsRescued)}",
            PlantedModel.StalledChainIsRescued,
            CoyoteSettings.SanityCheckIterations,
            CoyoteSettings.SeedOr(CoyoteSettings.PlantedBugSeed),
            output);
        result.AssertNoBugFound();
    }
}
