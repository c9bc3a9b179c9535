using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The classic bug: a reader awaits a channel that nobody writes to and nobody completes. Not a scenario the
/// channels must pass but one Coyote must flag: it has to report this as a deadlock, or its silence about
/// the other scenarios would mean nothing.
/// </summary>
internal static class AbandonedReader
{
    public static Scenario Scenario { get; } = new(nameof(AbandonedReader), RunAsync);

    private static async Task RunAsync(Channel<int> channel) => await channel.Reader.ReadAsync();
}
