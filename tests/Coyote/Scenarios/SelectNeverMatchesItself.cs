using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A select with a read clause and a write clause (offering 11) on the same rendezvous channel A, and one third
/// party that Coyote picks: a plain writer of 12 or a plain reader. The select must meet the third party, never
/// itself: against the writer its read clause takes 12, against the reader its write clause hands 11 over. A
/// select that matched itself would end with its own item and leave the third party waiting forever.
/// </summary>
internal static class SelectNeverMatchesItself
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectNeverMatchesItself), RunAsync, [SelectChannels.TwoRendezvous]);

    private static async Task RunAsync(SelectSetup setup)
    {
        ISelector selector = setup.NewSelector();
        int read = selector.AddRead(setup.A.Reader), write = selector.AddWrite(setup.A.Writer, 11);
        SelectOutcome outcome = default;
        Task selecting = Task.Run(async () => outcome = await SelectParticipants.SelectOnceAsync(selector));

        if (setup.Coin())
        {
            await Participants.AllAsync(Task.Run(() => setup.A.Writer.WriteAsync(12).AsTask()), selecting);
            Oracle.Holds(outcome.Clause == read && outcome.Item == 12, $"Against a writer of 12, the select ended with [{outcome}].");
        }
        else
        {
            int received = 0;
            await Participants.AllAsync(Task.Run(async () => received = await setup.A.Reader.ReadAsync()), selecting);
            Oracle.Holds(outcome.Clause == write && outcome.Item == 11 && received == 11, $"Against a reader, the select ended with [{outcome}] and the reader read {received}.");
        }

        Oracle.Holds(!outcome.IsClosed, $"Nobody completed the channel, yet the select ended with [{outcome}].");
    }
}
