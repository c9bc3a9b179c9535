using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select writing 11 to A and 21 to B with a token, plain readers of both, and the token's cancellation, in
/// any order. Either the select handed exactly one item over, and it was read, or it was canceled, and nobody
/// ever reads either offer (a canceled write clause left parked would hand its item to a later reader).
/// </summary>
internal static class SelectWriteRacesCancellation
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectWriteRacesCancellation), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> readA = [], readB = [];
        ISelector selector = setup.NewSelector();
        int writeA = selector.AddWrite(setup.A.Writer, 11);
        selector.AddWrite(setup.B.Writer, 21);
        using var cancellation = new CancellationTokenSource();
        SelectOutcome? outcome = null;
        bool canceled = false;

        Task readerA = Task.Run(() => Participants.ReadUntilClosedAsync(setup.A.Reader, readA));
        Task readerB = Task.Run(() => Participants.ReadUntilClosedAsync(setup.B.Reader, readB));
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
        setup.A.Writer.Complete();
        setup.B.Writer.Complete();
        await Participants.AllAsync(readerA, readerB);

        Oracle.Holds(canceled != outcome.HasValue, $"The select was canceled: {canceled}, and ended with [{outcome}]; exactly one must happen.");
        List<int> handedOver = [];
        if (outcome is SelectOutcome written)
        {
            Oracle.Holds(written.IsWrite && !written.IsClosed, $"The select [{written}] should have written.");
            SelectOracle.ThroughItsChannel(written, written.Clause == writeA ? 1 : 2);
            handedOver.Add(written.Item);
        }

        Oracle.DeliveredExactlyTheAccepted([.. readA, .. readB], handedOver);
    }
}
