using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Two selects meeting on the same two channels: the first writes 11 to A and 21 to B, the second reads A and B.
/// Each offers the other two partners at once, and exactly one pair may meet: the item the second select read is
/// the one the first handed over, through the same channel, and the first select's other offer reached nobody
/// (with a buffer, the first select's item may wait in B instead, and is drained at the end).
/// </summary>
internal static class SelectMeetsSelectOnBothChannels
{
    public static SelectScenario Scenario { get; } = new(nameof(SelectMeetsSelectOnBothChannels), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        ISelector writing = setup.NewSelector(), reading = setup.NewSelector();
        int writesA = writing.AddWrite(setup.A.Writer, 11);
        writing.AddWrite(setup.B.Writer, 21);
        int readsA = reading.AddRead(setup.A.Reader);
        reading.AddRead(setup.B.Reader);
        SelectOutcome written = default, read = default;

        Task writer = Task.Run(async () => written = await SelectParticipants.SelectOnceAsync(writing));
        Task reader = Task.Run(async () => read = await SelectParticipants.SelectOnceAsync(reading));
        await Participants.AllAsync(writer, reader);
        List<int> left = [.. SelectParticipants.Drain(setup.A.Reader), .. SelectParticipants.Drain(setup.B.Reader)];

        Oracle.Holds(written.IsWrite && !written.IsClosed && !read.IsWrite && !read.IsClosed, $"Outcomes [{written}] and [{read}]: one should write, the other read.");
        SelectOracle.ThroughItsChannel(written, written.Clause == writesA ? 1 : 2);
        SelectOracle.ThroughItsChannel(read, read.Clause == readsA ? 1 : 2);
        Oracle.DeliveredExactlyTheAccepted([read.Item, .. left], [written.Item]);
    }
}
