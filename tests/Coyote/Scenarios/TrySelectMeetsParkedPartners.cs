using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The non-blocking select against partners parking at any moment: a writer of 11 to A (WriteAsync) and a reader
/// of B (ReadAsync), and a select reading A and writing 21 to B that needs both to end. It tries TrySelect twice,
/// yielding between, before each waiting select, and disables a clause once it took effect. A TrySelect that says
/// "none" changed nothing (one that took an item anyway would leave the waiting select with nobody to meet); one
/// that says "this clause" met a partner: in the end the select read 11 once and B's reader read 21 once.
/// </summary>
internal static class TrySelectMeetsParkedPartners
{
    public static SelectScenario Scenario { get; } = new(nameof(TrySelectMeetsParkedPartners), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> acceptedA = [];
        List<SelectOutcome> outcomes = [];
        int readB = 0;
        ISelector selector = setup.NewSelector();
        int readA = selector.AddRead(setup.A.Reader);
        selector.AddWrite(setup.B.Writer, 21);

        Task writer = Task.Run(() => Participants.WriteAsyncEachAsync(setup.A.Writer, [11], acceptedA));
        Task reader = Task.Run(async () => readB = await setup.B.Reader.ReadAsync());
        Task selecting = Task.Run(async () =>
        {
            while (outcomes.Count < 2)
            {
                SelectOutcome outcome = default;
                bool ready = false;
                for (int attempt = 0; attempt < 2 && !ready; attempt++)
                {
                    ready = selector.TrySelect(out outcome);
                    if (!ready)
                    {
                        await Task.Yield();
                    }
                }

                outcome = ready ? outcome : await selector.SelectAsync();
                outcomes.Add(outcome);
                selector.Disable(outcome.Clause);
            }
        });

        await Participants.AllAsync(writer, reader, selecting);

        Oracle.Holds(
            outcomes.Count == 2 && outcomes[0].Clause != outcomes[1].Clause,
            $"The select should have used each clause once: [{string.Join(", ", outcomes)}].");
        foreach (SelectOutcome outcome in outcomes)
        {
            Oracle.Holds(!outcome.IsClosed, $"Nobody completed a channel, yet the select ended with [{outcome}].");
            SelectOracle.ThroughItsChannel(outcome, outcome.Clause == readA ? 1 : 2);
        }

        Oracle.DeliveredExactlyTheAccepted(SelectOracle.Items(outcomes, writes: false), acceptedA);
        Oracle.DeliveredExactlyTheAccepted([readB], SelectOracle.Items(outcomes, writes: true));
    }
}
