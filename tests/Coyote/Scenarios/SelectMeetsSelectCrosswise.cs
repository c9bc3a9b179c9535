using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Two selects that can only complete each other, crosswise: the first reads A and writes 21 to B, the second
/// reads B and writes 11 to A. Each must end (two parked selects that never claim each other would wait forever)
/// with exactly one clause: on two rendezvous channels, one select's write met the other's read, so one item
/// moved and the other offer was withdrawn; with a buffer, what one wrote is read by the other or still in it.
/// </summary>
internal static class SelectMeetsSelectCrosswise
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectMeetsSelectCrosswise), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        ISelector first = setup.NewSelector(), second = setup.NewSelector();
        int firstReadsA = first.AddRead(setup.A.Reader);
        first.AddWrite(setup.B.Writer, 21);
        int secondReadsB = second.AddRead(setup.B.Reader);
        second.AddWrite(setup.A.Writer, 11);
        SelectOutcome firstOutcome = default, secondOutcome = default;

        Task firstSelecting = Task.Run(async () => firstOutcome = await SelectParticipants.SelectOnceAsync(first));
        Task secondSelecting = Task.Run(async () => secondOutcome = await SelectParticipants.SelectOnceAsync(second));
        await Participants.AllAsync(firstSelecting, secondSelecting);
        List<int> left = [.. SelectParticipants.Drain(setup.A.Reader), .. SelectParticipants.Drain(setup.B.Reader)];

        SelectOutcome[] outcomes = [firstOutcome, secondOutcome];
        Oracle.Holds(!firstOutcome.IsClosed && !secondOutcome.IsClosed, $"Nobody completed a channel, yet the selects ended with [{firstOutcome}] and [{secondOutcome}].");
        Oracle.DeliveredExactlyTheAccepted(
            [.. SelectOracle.Items(outcomes, writes: false), .. left],
            SelectOracle.Items(outcomes, writes: true));
        if (!firstOutcome.IsWrite)
        {
            Oracle.Holds(firstOutcome.Clause == firstReadsA, $"First select: [{firstOutcome}] is not its read clause.");
            SelectOracle.ThroughItsChannel(firstOutcome, 1);
        }

        if (!secondOutcome.IsWrite)
        {
            Oracle.Holds(secondOutcome.Clause == secondReadsB, $"Second select: [{secondOutcome}] is not its read clause.");
            SelectOracle.ThroughItsChannel(secondOutcome, 2);
        }
    }
}
