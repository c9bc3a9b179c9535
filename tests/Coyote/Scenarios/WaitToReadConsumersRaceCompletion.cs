using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// <see cref="WaitToReadConsumers"/> with the completion racing the last writes: WaitToReadAsync/TryRead
/// consumers are the only readers, so a WaitToReadAsync that answers <c>false</c> while an accepted item is
/// still in the channel loses that item for good (and the reader's Completion never completes).
/// </summary>
internal static class WaitToReadConsumersRaceCompletion
{
    public static Scenario Scenario { get; } = new(nameof(WaitToReadConsumersRaceCompletion), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int> accepted = [];
        List<int>[] received = [[], []];
        var firstAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task producer = Task.Run(async () =>
        {
            // The completion waits for this write, so it cannot fail.
            await channel.Writer.WriteAsync(11);
            accepted.Add(11);
            firstAccepted.SetResult();
            await Participants.WriteAsyncEachAsync(channel.Writer, [12], accepted);
        });
        Task completer = Task.Run(async () =>
        {
            await firstAccepted.Task;
            channel.Writer.Complete();
        });
        Task[] consumers = [.. received.Select(log => Task.Run(() => Participants.WaitToReadUntilDoneAsync(channel.Reader, log)))];

        await Participants.AllAsync([producer, completer, .. consumers]);
        await channel.Reader.Completion;

        Oracle.DeliveredExactlyTheAccepted(received.SelectMany(log => log), accepted);
    }
}
