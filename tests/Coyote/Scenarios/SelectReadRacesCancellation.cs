using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select reading A and B with a token, writers of 11 to A and 21 to B (WriteAsync), and the token's
/// cancellation, in any order. Either the select took exactly one item or it was canceled and took none; either
/// way, the channels are as if a canceled select had never come: readers arriving afterwards get every item the
/// select did not take (a canceled clause left parked, or one that took an item and then reported the
/// cancellation, loses a writer's item).
/// </summary>
internal static class SelectReadRacesCancellation
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectReadRacesCancellation), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> acceptedA = [], acceptedB = [], readAfterA = [], readAfterB = [];
        ISelector selector = setup.NewSelector();
        int readA = selector.AddRead(setup.A.Reader);
        selector.AddRead(setup.B.Reader);
        using var cancellation = new CancellationTokenSource();
        SelectOutcome? outcome = null;
        bool canceled = false;

        Task writerA = Task.Run(() => Participants.WriteAsyncEachAsync(setup.A.Writer, [11], acceptedA));
        Task writerB = Task.Run(() => Participants.WriteAsyncEachAsync(setup.B.Writer, [21], acceptedB));
        Task selecting = Task.Run(async () =>
        {
            try
            {
                outcome = await selector.SelectAsync(cancellation.Token);
            }
            catch (OperationCanceledException exception) when (exception.CancellationToken == cancellation.Token)
            {
                canceled = true;
            }
        });
        Task canceler = Task.Run(() => ControlledCancellation.Cancel(cancellation));

        await Participants.AllAsync(selecting, canceler);
        Task readerA = Task.Run(() => Participants.ReadUntilClosedAsync(setup.A.Reader, readAfterA));
        Task readerB = Task.Run(() => Participants.ReadUntilClosedAsync(setup.B.Reader, readAfterB));
        await Participants.AllAsync(writerA, writerB);
        setup.A.Writer.Complete();
        setup.B.Writer.Complete();
        await Participants.AllAsync(readerA, readerB);

        Oracle.Holds(canceled != outcome.HasValue, $"The select was canceled: {canceled}, and ended with [{outcome}]; exactly one must happen.");
        List<int> readBySelect = [];
        if (outcome is SelectOutcome taken)
        {
            SelectOracle.ThroughItsChannel(taken, taken.Clause == readA ? 1 : 2);
            readBySelect.Add(taken.Item);
        }

        Oracle.DeliveredExactlyTheAccepted([.. readBySelect, .. readAfterA, .. readAfterB], [.. acceptedA, .. acceptedB]);
    }
}
