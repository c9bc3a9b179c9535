namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// Every select scenario (issue 13), explored by Coyote on the real library over the channel pairs it applies
/// to: none may find a bug. The oracles are on the items: each delivered exactly once, none taken or handed over
/// by a losing clause, closed outcomes carrying their channel's error, no select left waiting.
/// </summary>
public sealed class SelectTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ScenariosOnChannels
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (SelectScenario scenario in SelectScenarioCatalog.All)
            {
                foreach (SelectChannels channels in scenario.Channels)
                {
                    cases.Add(scenario.Name, channels.Name);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ScenariosOnChannels))]
    public void Select_scenario_finds_no_bug_in_the_real_library(string scenario, string channels)
    {
        SelectScenario run = SelectScenarioCatalog.Named(scenario);
        SelectChannels pair = SelectScenarioCatalog.Channels(channels);

        SystematicTestResult result = SystematicTest.Run(
            $"{scenario} on {channels}",
            () => run.RunAsync(new SelectSetup(ControlledSelectLibrary.Library, pair)),
            CoyoteSettings.SelectIterations,
            CoyoteSettings.SeedOrRandom,
            output);

        result.AssertNoBugFound();
    }
}
