using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The readers' side of <see cref="QueueGrowthRacesParkedWriters"/>: four readers park at once in a waiter queue
/// that starts with two slots, so it grows while a writer hands two items to parked readers (dequeues), a
/// WaitToReadAsync caller parks and is canceled (in its own queue, for the reason given there) and the channel
/// is completed. Every read ends once (an item or the completion's refusal), and the items read are exactly the
/// accepted ones. Readers park on an empty channel of any kind, so this runs on every channel.
/// </summary>
internal static class QueueGrowthRacesParkedReaders
{
    private const int Readers = 4;

    public static Scenario Scenario { get; } = new(nameof(QueueGrowthRacesParkedReaders), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        using var cancellation = new CancellationTokenSource();
        var reads = new OperationOutcomes("read", Readers);
        var writes = new OperationOutcomes("write", 2);
        List<int> readAfterwards = [];
        Task[] everyone =
        [
            Task.Run(() => reads.ReadAsync(0, channel.Reader)),
            Task.Run(() => reads.ReadAsync(1, channel.Reader)),
            Task.Run(() => reads.ReadAsync(2, channel.Reader)),
            Task.Run(() => reads.ReadAsync(3, channel.Reader)),
            Task.Run(async () =>
            {
                await writes.WriteAsync(0, channel.Writer, 1);
                await writes.WriteAsync(1, channel.Writer, 2);
            }),
            Task.Run(() => CancelableWaits.WaitToReadAsync(channel.Reader, cancellation)),
            Task.Run(() => ControlledCancellation.Cancel(cancellation)),
            Task.Run(() => channel.Writer.TryComplete()),
        ];

        await Participants.AllAsync(everyone);
        await Participants.ReadUntilClosedAsync(channel.Reader, readAfterwards);
        await channel.Reader.Completion;

        reads.CheckEachEndedOnce();
        writes.CheckEachEndedOnce();
        Oracle.DeliveredExactlyTheAccepted([.. reads.Completed, .. readAfterwards], writes.Completed);
    }
}
