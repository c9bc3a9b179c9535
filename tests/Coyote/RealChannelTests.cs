namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>Every scenario, explored by Coyote on every real channel: none may find a bug.</summary>
public sealed class RealChannelTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> ScenariosOnChannels
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (Scenario scenario in ScenarioCatalog.All)
            {
                foreach (ChannelUnderTest channel in ControlledChannels.All)
                {
                    cases.Add(scenario.Name, channel.Name);
                }
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ScenariosOnChannels))]
    public void Scenario_finds_no_bug_in_the_real_channel(string scenario, string channel)
    {
        Scenario run = ScenarioCatalog.Named(scenario);
        ChannelUnderTest target = ControlledChannels.Named(channel);

        SystematicTestResult result = SystematicTest.Run(
            $"{scenario} on {channel}",
            () => run.RunAsync(target.Create()),
            CoyoteSettings.Iterations,
            CoyoteSettings.SeedOrRandom,
            output);

        result.AssertNoBugFound();
    }
}
