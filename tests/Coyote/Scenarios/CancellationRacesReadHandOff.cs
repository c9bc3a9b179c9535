using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A read with a token, a write, and the token's cancellation, in any order. Exactly one of the hand-off and
/// the cancellation wins: either the read returns the item, or it is canceled and the item stays with the
/// channel (a buffer keeps it for a later read; a rendezvous writer keeps waiting, until the completion
/// refuses it).
/// </summary>
internal static class CancellationRacesReadHandOff
{
    private const int Item = 7;

    public static Scenario Scenario { get; } = new(nameof(CancellationRacesReadHandOff), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        using var cancellation = new CancellationTokenSource();
        List<int> accepted = [], readAfterwards = [];
        int? readItem = null;
        bool readCanceled = false;

        Task reader = Task.Run(async () =>
        {
            try
            {
                readItem = await channel.Reader.ReadAsync(cancellation.Token);
            }
            catch (OperationCanceledException canceled) when (canceled.CancellationToken == cancellation.Token)
            {
                readCanceled = true;
            }
        });
        Task writer = Task.Run(() => Participants.WriteEachAsync(channel.Writer, [Item], accepted));
        Task canceler = Task.Run(() => ControlledCancellation.Cancel(cancellation));

        await Participants.AllAsync(reader, canceler);
        channel.Writer.Complete();
        await writer;
        await Participants.ReadUntilClosedAsync(channel.Reader, readAfterwards);
        await channel.Reader.Completion;

        Oracle.Holds(readItem.HasValue != readCanceled, $"The read returned {readItem} and was canceled: {readCanceled}; exactly one must happen.");
        Oracle.DeliveredExactlyTheAccepted(readItem is int item ? [item, .. readAfterwards] : readAfterwards, accepted);
    }
}
