using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The mirror image of <see cref="WaitToReadConsumers"/>: WaitToWriteAsync/TryWrite producers against
/// ReadAsync consumers. A producer parked in WaitToWriteAsync must be woken when a reader parks or makes room.
/// </summary>
internal static class WaitToWriteProducers
{
    public static Scenario Scenario { get; } = new(nameof(WaitToWriteProducers), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int>[] accepted = [[], []];
        List<int>[] received = [[], []];
        Task[] producers = [.. accepted.Select((log, p) => Task.Run(() => Participants.WaitToWriteEachAsync(channel.Writer, [(10 * p) + 11, (10 * p) + 12], log)))];
        Task[] consumers = [.. received.Select(log => Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, log)))];

        await Participants.AllAsync(producers);
        channel.Writer.Complete();
        await Participants.AllAsync(consumers);
        await channel.Reader.Completion;

        Oracle.Holds(accepted.All(log => log.Count == 2), "A write failed although the channel was completed only after all writes had finished.");
        Oracle.DeliveredExactlyTheAccepted(received.SelectMany(log => log), accepted.SelectMany(log => log));
    }
}
