using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Completion at any moment, racing parked and arriving readers and writers of every kind (ReadAsync,
/// WaitToReadAsync, WriteAsync, WaitToWriteAsync). Everyone wakes (a waiter the completion forgot would never
/// end, which Coyote reports as a deadlock), and exactly the accepted items are read: refused writes deliver
/// nothing, and a buffer drains what it accepted.
/// </summary>
internal static class CompletionRacesParkedOperations
{
    public static Scenario Scenario { get; } = new(nameof(CompletionRacesParkedOperations), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int> acceptedByWriteAsync = [], acceptedByWaitToWrite = [], readByReadAsync = [], readByWaitToRead = [];
        Task[] everyone =
        [
            Task.Run(() => Participants.WriteAsyncEachAsync(channel.Writer, [11, 12], acceptedByWriteAsync)),
            Task.Run(() => Participants.WaitToWriteEachAsync(channel.Writer, [21], acceptedByWaitToWrite)),
            Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, readByReadAsync)),
            Task.Run(() => Participants.WaitToReadUntilDoneAsync(channel.Reader, readByWaitToRead)),
            Task.Run(() => channel.Writer.Complete()),
        ];

        await Participants.AllAsync(everyone);
        await channel.Reader.Completion;

        Oracle.DeliveredExactlyTheAccepted([.. readByReadAsync, .. readByWaitToRead], [.. acceptedByWriteAsync, .. acceptedByWaitToWrite]);
    }
}
