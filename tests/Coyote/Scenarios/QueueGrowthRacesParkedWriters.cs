using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Four writers park at once in a waiter queue that the controlled copy starts with two slots (WaiterQueue's
/// COYOTE capacity), so the third and fourth grow it: freeze, copy, install, with every other party helping,
/// while a reader takes two items (dequeues), a WaitToWriteAsync caller parks and is canceled, and the channel
/// is completed (closes the queue, drains it). Two enqueuers that find the ring full at once both help one
/// growth, and dequeuers and the completion help too, so a lost install, or a freeze that overwrites a dequeue
/// or the close, shows here: a parked writer is then never woken (Coyote reports the deadlock), an item is delivered twice or lost,
/// or a helper spins for a slot nobody will write. Needs a channel where four writers park at most one item
/// deep: the rendezvous channel and a ring of one.
/// </summary>
/// <remarks>
/// The canceled operation waits in a queue of its own that never fills (WaitingToWrite), not in the growing one:
/// the scenarios cancel through <see cref="ControlledCancellation"/>, which runs the callback without
/// interleaving, and a callback that trims a ring that is being grown helps the growth, which may wait for an
/// enqueuer between its claim and its stamp; that enqueuer would then never get to run (a hang of the test, not
/// of the channel). Interleaving the callback instead lets the woken awaiter dispose the registration while the
/// callback runs, which the BCL waits out by spinning where Coyote cannot see.
/// </remarks>
internal static class QueueGrowthRacesParkedWriters
{
    private const int Writers = 4;

    public static Scenario Scenario { get; } = new(nameof(QueueGrowthRacesParkedWriters), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        using var cancellation = new CancellationTokenSource();
        var writes = new OperationOutcomes("write", Writers);
        var reads = new OperationOutcomes("read", 2);
        List<int> readAfterwards = [];
        Task[] everyone =
        [
            Task.Run(() => writes.WriteAsync(0, channel.Writer, 1)),
            Task.Run(() => writes.WriteAsync(1, channel.Writer, 2)),
            Task.Run(() => writes.WriteAsync(2, channel.Writer, 3)),
            Task.Run(() => writes.WriteAsync(3, channel.Writer, 4)),
            Task.Run(async () =>
            {
                await reads.ReadAsync(0, channel.Reader);
                await reads.ReadAsync(1, channel.Reader);
            }),
            Task.Run(() => CancelableWaits.WaitToWriteAsync(channel.Writer, cancellation)),
            Task.Run(() => ControlledCancellation.Cancel(cancellation)),
            Task.Run(() => channel.Writer.TryComplete()),
        ];

        await Participants.AllAsync(everyone);
        await Participants.ReadUntilClosedAsync(channel.Reader, readAfterwards);
        await channel.Reader.Completion;

        writes.CheckEachEndedOnce();
        reads.CheckEachEndedOnce();
        Oracle.DeliveredExactlyTheAccepted([.. reads.Completed, .. readAfterwards], writes.Completed);
    }
}
