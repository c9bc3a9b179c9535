using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// WaitToReadAsync/TryRead consumers (what ReadAllAsync does) against WriteAsync producers. A consumer that
/// parks in WaitToReadAsync just as a producer parks or writes must still be woken: a lost wake-up leaves both
/// waiting forever, which Coyote reports as a deadlock.
/// </summary>
internal static class WaitToReadConsumers
{
    public static Scenario Scenario { get; } = new(nameof(WaitToReadConsumers), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int>[] accepted = [[], []];
        List<int>[] received = [[], []];
        Task[] producers = [.. accepted.Select((log, p) => Task.Run(() => Participants.WriteAsyncEachAsync(channel.Writer, [(10 * p) + 11, (10 * p) + 12], log)))];
        Task[] consumers = [.. received.Select(log => Task.Run(() => Participants.WaitToReadUntilDoneAsync(channel.Reader, log)))];

        await Participants.AllAsync(producers);
        channel.Writer.Complete();
        await Participants.AllAsync(consumers);
        await channel.Reader.Completion;

        Oracle.Holds(accepted.All(log => log.Count == 2), "A write failed although the channel was completed only after all writes had finished.");
        Oracle.DeliveredExactlyTheAccepted(received.SelectMany(log => log), accepted.SelectMany(log => log));
    }
}
