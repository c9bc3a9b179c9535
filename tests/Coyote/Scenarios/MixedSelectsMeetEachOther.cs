using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Two selects of the self-match shape on one rendezvous channel A: each has a read clause and a write clause
/// on A (offering 11 and 13). Neither may meet itself, but they must meet each other, as two goroutines selecting
/// <c>case v := &lt;-a</c> / <c>case a &lt;- x</c> do in Go: one hands its item to the other. Two such selects that
/// both parked and never claim each other wait forever, which Coyote reports as a deadlock.
/// </summary>
internal static class MixedSelectsMeetEachOther
{
    public static SelectScenario Scenario { get; } = new(nameof(MixedSelectsMeetEachOther), RunAsync, [SelectChannels.TwoRendezvous]);

    private static async Task RunAsync(SelectSetup setup)
    {
        ISelector first = setup.NewSelector(), second = setup.NewSelector();
        int firstRead = first.AddRead(setup.A.Reader), firstWrite = first.AddWrite(setup.A.Writer, 11);
        int secondRead = second.AddRead(setup.A.Reader), secondWrite = second.AddWrite(setup.A.Writer, 13);
        SelectOutcome firstOutcome = default, secondOutcome = default;

        Task firstSelecting = Task.Run(async () => firstOutcome = await SelectParticipants.SelectOnceAsync(first));
        Task secondSelecting = Task.Run(async () => secondOutcome = await SelectParticipants.SelectOnceAsync(second));
        await Participants.AllAsync(firstSelecting, secondSelecting);

        bool firstWrote = firstOutcome.Clause == firstWrite && secondOutcome.Clause == secondRead && secondOutcome.Item == 11;
        bool secondWrote = secondOutcome.Clause == secondWrite && firstOutcome.Clause == firstRead && firstOutcome.Item == 13;
        Oracle.Holds(
            !firstOutcome.IsClosed && !secondOutcome.IsClosed && (firstWrote || secondWrote),
            $"Two selects on one channel ended with [{firstOutcome}] and [{secondOutcome}]; one should have handed its item to the other.");
    }
}
