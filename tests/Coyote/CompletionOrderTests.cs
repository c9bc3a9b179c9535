namespace Rendezvous.Channels.Tests.Coyote;

/// <summary>
/// Completion racing reads of parked writers, explored by Coyote on every real channel: the accepted writes are
/// always the oldest ones, and the rest fail (<see cref="CompletionRacesReadsOfParkedWriters"/>).
/// </summary>
public sealed class CompletionOrderTests(ITestOutputHelper output)
{
    public static TheoryData<string> Channels
    {
        get
        {
            var cases = new TheoryData<string>();
            foreach (ChannelUnderTest channel in ControlledChannels.All)
            {
                cases.Add(channel.Name);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public void Completion_racing_reads_of_parked_writers_keeps_the_accepted_writes_a_prefix(string channel)
    {
        ChannelUnderTest target = ControlledChannels.Named(channel);

        SystematicTestResult result = SystematicTest.Run(
            $"{CompletionRacesReadsOfParkedWriters.Scenario.Name} on {channel}",
            () => CompletionRacesReadsOfParkedWriters.Scenario.RunAsync(target.Create()),
            CoyoteSettings.Iterations,
            CoyoteSettings.SeedOrRandom,
            output);

        result.AssertNoBugFound();
    }
}
