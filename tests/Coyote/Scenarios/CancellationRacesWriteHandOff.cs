using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A write with a token into a full channel (a buffer filled to capacity; a rendezvous channel is always
/// "full"), a reader, and the token's cancellation, in any order. Exactly one wins: either the write
/// completes and its item is read, or it is canceled and nobody ever reads its item.
/// </summary>
internal static class CancellationRacesWriteHandOff
{
    private const int Item = 7;

    public static Scenario Scenario { get; } = new(nameof(CancellationRacesWriteHandOff), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int> prefilled = [], received = [];
        for (int item = 1; channel.Writer.TryWrite(item); item++)
        {
            prefilled.Add(item);
        }

        using var cancellation = new CancellationTokenSource();
        bool written = false, writeCanceled = false;
        Task writer = Task.Run(async () =>
        {
            try
            {
                await channel.Writer.WriteAsync(Item, cancellation.Token);
                written = true;
            }
            catch (OperationCanceledException canceled) when (canceled.CancellationToken == cancellation.Token)
            {
                writeCanceled = true;
            }
        });
        Task reader = Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, received));
        Task canceler = Task.Run(() => ControlledCancellation.Cancel(cancellation));

        await Participants.AllAsync(writer, canceler);
        channel.Writer.Complete();
        await reader;
        await channel.Reader.Completion;

        Oracle.Holds(written != writeCanceled, $"The write completed: {written}, and was canceled: {writeCanceled}; exactly one must happen.");
        Oracle.DeliveredExactlyTheAccepted(received, written ? [.. prefilled, Item] : prefilled);
    }
}
