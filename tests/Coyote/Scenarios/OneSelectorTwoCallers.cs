using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Misuse: two tasks select on one selector (a read clause on A) at once, against a writer of 11 and 12. A selector
/// runs one select at a time: a select that starts while another is pending is refused with
/// InvalidOperationException, and a refused select takes nothing. So the selects that ended took one item each,
/// and a reader that comes afterwards gets the rest of the accepted items. (Counts, not items: a clause's item is
/// read after its select ends, and by then a later select of the same selector may have replaced it, as
/// documented.)
/// </summary>
internal static class OneSelectorTwoCallers
{
    public static SelectScenario Scenario { get; } = new(nameof(OneSelectorTwoCallers), RunAsync, [SelectChannels.TwoRendezvous]);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> accepted = [], readAfter = [];
        ISelector selector = setup.NewSelector();
        selector.AddRead(setup.A.Reader);
        bool[] selected = new bool[2], refused = new bool[2];

        Task writer = Task.Run(() => Participants.WriteEachAsync(setup.A.Writer, [11, 12], accepted));
        Task[] callers = [.. Enumerable.Range(0, 2).Select(caller => Task.Run(async () =>
        {
            try
            {
                SelectOutcome outcome = await selector.SelectAsync();
                Oracle.Holds(!outcome.IsClosed && outcome.Clause == 0, $"Caller {caller}: the select ended with [{outcome}].");
                selected[caller] = true;
            }
            catch (InvalidOperationException)
            {
                refused[caller] = true;
            }
        }))];

        await Participants.AllAsync(callers);
        Task reader = Task.Run(() => Participants.ReadUntilClosedAsync(setup.A.Reader, readAfter));
        await writer;
        setup.A.Writer.Complete();
        await reader;

        Oracle.Holds(selected.Zip(refused).All(pair => pair.First != pair.Second), "Each select either ended with an item or was refused.");
        int taken = selected.Count(done => done) + readAfter.Count;
        Oracle.Holds(taken == accepted.Count, $"{selected.Count(done => done)} selects ended and the reader read {readAfter.Count} items, but {accepted.Count} were accepted.");
    }
}
