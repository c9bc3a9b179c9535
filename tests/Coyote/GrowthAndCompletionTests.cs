using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// The atomic steps no other scenario depends on, explored by Coyote on the real channels:
/// a waiter queue growing while every other operation races it, completions racing each other, and the waiter
/// pool's returns racing for a slot. None may find a bug; each fails when its compare-and-swap is made a
/// plain read-then-write (the cas-mutants tool).
/// </summary>
public sealed class GrowthAndCompletionTests(ITestOutputHelper output)
{
    /// <summary>Each scenario with the channels it applies to.</summary>
    private static readonly (Scenario Scenario, string[] Channels)[] s_cases =
    [
        // Four parked writers need a channel that buffers at most one item.
        (QueueGrowthRacesParkedWriters.Scenario, ["Rendezvous", "RingBuffer(1)"]),
        (QueueGrowthRacesParkedReaders.Scenario, [.. ControlledChannels.All.Select(channel => channel.Name)]),
        (CompletionsRaceEachOther.Scenario, [.. ControlledChannels.All.Select(channel => channel.Name)]),
    ];

    public static TheoryData<string, string> ScenariosOnChannels
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach ((Scenario scenario, string[] channels) in s_cases)
            {
                foreach (string channel in channels)
                {
                    cases.Add(scenario.Name, channel);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ScenariosOnChannels))]
    public void Scenario_finds_no_bug_in_the_real_channel(string scenario, string channel)
    {
        Scenario run = s_cases.Select(entry => entry.Scenario).Single(candidate => candidate.Name == scenario);
        ChannelUnderTest target = ControlledChannels.Named(channel);

        SystematicTestResult result = SystematicTest.Run(
            $"{scenario} on {channel}",
            () => run.RunAsync(target.Create()),
            CoyoteSettings.Iterations,
            CoyoteSettings.SeedOrRandom,
            output);

        result.AssertNoBugFound();
    }

    [Fact]
    public void Pool_returns_racing_for_a_slot_lose_no_waiter()
    {
        SystematicTestResult result = SystematicTest.Run(
            nameof(PoolReturnsRace),
            PoolReturnsRace.RunAsync,
            CoyoteSettings.Iterations,
            CoyoteSettings.SeedOrRandom,
            output);

        result.AssertNoBugFound();
    }
}
