using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Three writers of two items each against two readers, every operation trying the non-blocking call first:
/// parked readers and parked writers meet in every order. Every item written is read exactly once.
/// </summary>
internal static class ManyWritersManyReaders
{
    public static Scenario Scenario { get; } = new(nameof(ManyWritersManyReaders), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int>[] accepted = [[], [], []];
        List<int>[] received = [[], []];
        Task[] writers = [.. accepted.Select((log, w) => Task.Run(() => Participants.WriteEachAsync(channel.Writer, [(10 * w) + 11, (10 * w) + 12], log)))];
        Task[] readers = [.. received.Select(log => Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, log)))];

        await Participants.AllAsync(writers);
        // Completed only once every write has finished, so no write may fail and every item must be read.
        channel.Writer.Complete();
        await Participants.AllAsync(readers);
        await channel.Reader.Completion;

        Oracle.Holds(accepted.All(log => log.Count == 2), "A write failed although the channel was completed only after all writes had finished.");
        Oracle.DeliveredExactlyTheAccepted(received.SelectMany(log => log), accepted.SelectMany(log => log));
    }
}
