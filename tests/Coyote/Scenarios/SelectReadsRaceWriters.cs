using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select with read clauses on A and B against plain writers of both (TryWrite, else WriteAsync: a TryWrite can
/// meet the parked select) and a plain reader competing for A, until both channels complete. Every accepted item
/// is read exactly once, by the select or the reader (a losing clause that took an item loses it: its writer
/// counts it accepted, nobody counts it read); each clause reads only its own channel's items; each clause then
/// reports its channel closed, without error, and the select ends (a select the completion forgot never would).
/// </summary>
internal static class SelectReadsRaceWriters
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectReadsRaceWriters), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> acceptedA = [], acceptedB = [], readByReader = [];
        List<SelectOutcome> outcomes = [];
        ISelector selector = setup.NewSelector();
        int readA = selector.AddRead(setup.A.Reader);
        selector.AddRead(setup.B.Reader);

        Task writerA = Task.Run(() => Participants.WriteEachAsync(setup.A.Writer, [11, 12], acceptedA));
        Task writerB = Task.Run(() => Participants.WriteEachAsync(setup.B.Writer, [21], acceptedB));
        Task reader = Task.Run(() => Participants.ReadUntilClosedAsync(setup.A.Reader, readByReader));
        Task selecting = Task.Run(() => SelectParticipants.SelectUntilClosedAsync(selector, clauses: 2, maxSelects: 6, outcomes));

        await Participants.AllAsync(writerA, writerB);
        setup.A.Writer.Complete();
        setup.B.Writer.Complete();
        await Participants.AllAsync(reader, selecting);

        Oracle.DeliveredExactlyTheAccepted([.. readByReader, .. SelectOracle.Items(outcomes, writes: false)], [.. acceptedA, .. acceptedB]);
        foreach (SelectOutcome outcome in outcomes)
        {
            if (outcome.IsClosed)
            {
                SelectOracle.ClosedWith(outcome, null);
            }
            else
            {
                SelectOracle.ThroughItsChannel(outcome, outcome.Clause == readA ? 1 : 2);
            }
        }

        Oracle.Holds(outcomes.Count(o => o.IsClosed) == 2, $"The select should end with both clauses closed: [{string.Join(", ", outcomes)}].");
    }
}
