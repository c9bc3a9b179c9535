using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>Coyote must see the classic bug of the seed story: a reader awaiting a channel nobody completes.</summary>
public sealed class DeadlockDetectionTests(ITestOutputHelper output)
{
    public static TheoryData<string> ChannelNames => [.. ControlledChannels.All.Select(channel => channel.Name)];

    [Theory]
    [MemberData(nameof(ChannelNames))]
    public void A_reader_awaiting_a_channel_nobody_completes_is_reported_as_a_deadlock(string channel)
    {
        ChannelUnderTest target = ControlledChannels.Named(channel);
        SystematicTestResult result = SystematicTest.Run(
            $"{AbandonedReader.Scenario.Name} on {channel}",
            () => AbandonedReader.Scenario.RunAsync(target.Create()),
            iterations: 10,
            CoyoteSettings.SeedOrRandom,
            output);

        // Whatever the schedule, the reader waits forever: the very first iteration must report it.
        result.AssertDeadlockReported();
        Assert.True(!result.WasRun || result.BugIteration == 1, $"Reported only at iteration {result.BugIteration}.");
    }
}
