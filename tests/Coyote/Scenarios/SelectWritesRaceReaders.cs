using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select with write clauses on A and B, two selects in a row, against plain readers of both and a plain writer
/// competing for A's reader. Each select offers fresh items (A: 11, 12; B: 21, 22), so an offer of a losing
/// clause that reached a reader shows as an item nobody handed over. The items read are exactly the select's
/// winning offers and the plain writer's accepted item, each once, each from its own channel.
/// </summary>
internal static class SelectWritesRaceReaders
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectWritesRaceReaders), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> acceptedFromWriter = [], readA = [], readB = [];
        List<SelectOutcome> outcomes = [];
        ISelector selector = setup.NewSelector();
        int writeA = selector.AddWrite(setup.A.Writer, 0), writeB = selector.AddWrite(setup.B.Writer, 0);

        Task readerA = Task.Run(() => Participants.ReadUntilClosedAsync(setup.A.Reader, readA));
        Task readerB = Task.Run(() => Participants.ReadUntilClosedAsync(setup.B.Reader, readB));
        Task writer = Task.Run(() => Participants.WriteEachAsync(setup.A.Writer, [19], acceptedFromWriter));
        Task selecting = Task.Run(async () =>
        {
            for (int round = 1; round <= 2; round++)
            {
                selector.Offer(writeA, 10 + round);
                selector.Offer(writeB, 20 + round);
                outcomes.Add(await SelectParticipants.SelectOnceAsync(selector));
            }
        });

        await Participants.AllAsync(selecting, writer);
        setup.A.Writer.Complete();
        setup.B.Writer.Complete();
        await Participants.AllAsync(readerA, readerB);

        Oracle.Holds(outcomes.All(outcome => !outcome.IsClosed && outcome.IsWrite), $"Every select should have written: [{string.Join(", ", outcomes)}].");
        for (int round = 1; round <= 2; round++)
        {
            SelectOutcome outcome = outcomes[round - 1];
            int offered = outcome.Clause == writeA ? 10 + round : 20 + round;
            Oracle.Holds(outcome.Item == offered, $"Select {round} [{outcome}] should have handed over its clause's offer {offered}.");
        }

        Oracle.DeliveredExactlyTheAccepted(readA, [.. acceptedFromWriter, .. SelectOracle.TookEffect(outcomes, writeA).Select(outcome => outcome.Item)]);
        Oracle.DeliveredExactlyTheAccepted(readB, SelectOracle.TookEffect(outcomes, writeB).Select(outcome => outcome.Item));
    }
}
