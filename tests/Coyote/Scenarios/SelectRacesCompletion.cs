using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select reading A and writing to B, a few selects in a row, racing a writer of A, a reader of B, and the
/// completion of A with an error and of B without one, each at any moment. The select never hangs: each clause
/// ends in its channel's closed outcome carrying that channel's completion error (the same instance; none for
/// B), after which it is disabled; the select read exactly the A items its writer had accepted (less what a
/// buffer still holds), and B's reader read exactly what the select handed over.
/// </summary>
internal static class SelectRacesCompletion
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectRacesCompletion), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        var errorOfA = new InvalidOperationException("A completed with an error");
        List<int> acceptedA = [], readB = [];
        List<SelectOutcome> outcomes = [];
        ISelector selector = setup.NewSelector();
        int readA = selector.AddRead(setup.A.Reader), writeB = selector.AddWrite(setup.B.Writer, 21);

        Task writerA = Task.Run(() => Participants.WriteEachAsync(setup.A.Writer, [11, 12], acceptedA));
        Task readerB = Task.Run(() => Participants.ReadUntilClosedAsync(setup.B.Reader, readB));
        Task completerA = Task.Run(() => setup.A.Writer.Complete(errorOfA));
        Task completerB = Task.Run(() => setup.B.Writer.Complete());
        Task selecting = Task.Run(async () =>
        {
            int nextB = 21;
            for (int open = 2; open > 0 && outcomes.Count < 5;)
            {
                SelectOutcome outcome = await SelectParticipants.SelectOnceAsync(selector);
                outcomes.Add(outcome);
                if (outcome.IsClosed)
                {
                    selector.Disable(outcome.Clause);
                    open--;
                }
                else if (outcome.Clause == writeB)
                {
                    selector.Offer(writeB, ++nextB);
                }
            }
        });

        await Participants.AllAsync(writerA, readerB, completerA, completerB, selecting);
        List<int> leftInA = SelectParticipants.Drain(setup.A.Reader);

        foreach (SelectOutcome outcome in outcomes)
        {
            if (outcome.IsClosed)
            {
                SelectOracle.ClosedWith(outcome, outcome.Clause == readA ? errorOfA : null);
            }
            else
            {
                SelectOracle.ThroughItsChannel(outcome, outcome.Clause == readA ? 1 : 2);
            }
        }

        List<int> closedClauses = [.. outcomes.Where(outcome => outcome.IsClosed).Select(outcome => outcome.Clause)];
        Oracle.Holds(closedClauses.Distinct().Count() == closedClauses.Count, $"A disabled clause ended a select: [{string.Join(", ", outcomes)}].");
        Oracle.DeliveredExactlyTheAccepted([.. SelectOracle.Items(outcomes, writes: false), .. leftInA], acceptedA);
        Oracle.DeliveredExactlyTheAccepted(readB, SelectOracle.Items(outcomes, writes: true));
    }
}
