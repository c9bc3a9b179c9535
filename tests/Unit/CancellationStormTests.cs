using Rendezvous.Channels.Storm;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// A storm of random cancellations on both sides (bench/Storm/CancellationStorm.cs, linked into this project; the
/// bench's <c>storm</c> command runs the same storm against the BCL): several writers and readers cancel their own
/// and each other's WriteAsync/ReadAsync at random moments, racing the partners that complete them. Every item whose WriteAsync
/// completed successfully is read exactly once, and no item whose WriteAsync threw is ever read.
/// </summary>
[Collection(StressCollection.Name)]
public class CancellationStormTests(ITestOutputHelper output)
{
    public static TheoryData<string> Storms => new() { "Rendezvous", "Ring(1)", "Ring(16)" };

    [Theory]
    [MemberData(nameof(Storms))]
    public async Task Every_successful_write_is_read_exactly_once_and_no_canceled_write_is_delivered(string channel)
    {
        var settings = new StormSettings(Writers: 3, Readers: 3, MaxItems: 30_000, Duration: TimeSpan.FromSeconds(20),
            CancelOneIn: 3, Seed: 1);
        for (int storm = 0; storm < 3; storm++)
        {
            Channel<int> c = Contract.ChannelsUnderTest.Named(channel).Create<int>();
            StormResult result = await Eventually.Completes(
                CancellationStorm.RunAsync(c, settings with { Seed = 1 + (storm * 100) }), $"storm {storm} on {channel}");
            output.WriteLine($"{channel}, storm {storm}: {result}");

            // The storm must really have raced cancellations on both sides, or it tested nothing.
            Assert.True(result.WritesCanceled > 0, "no write was canceled");
            Assert.True(result.ReadsCanceled > 0, "no read was canceled");
            Assert.True(result.WrittenOk > 0, "no write succeeded");
            Assert.Equal(0, result.Lost);
            Assert.Equal(0, result.DeliveredAfterCanceled);
            Assert.Equal(0, result.DeliveredAfterFailed);
            Assert.Equal(0, result.Duplicated);
            Assert.Equal(0, result.Unknown);
            Assert.Equal(result.WrittenOk, result.Read);
        }
    }
}
