using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The read-any convenience over A and B (TryRead, else ReadAsync) against writers of 11 to A and 21, 22 to B,
/// until both channels complete: every accepted item read exactly once, with the index of the reader it came
/// through, and then ChannelClosedException (a read-any the completion forgot would wait forever).
/// </summary>
internal static class ReadAnyRacesWriters
{
    public static SelectScenario Scenario { get; } = new(nameof(ReadAnyRacesWriters), RunAsync, SelectChannels.Both);

    private static async Task RunAsync(SelectSetup setup)
    {
        List<int> acceptedA = [], acceptedB = [];
        List<(int Index, int Item)> taken = [];
        IReadAnySelector readAny = setup.NewReadAny(setup.A.Reader, setup.B.Reader);

        Task writerA = Task.Run(() => Participants.WriteEachAsync(setup.A.Writer, [11], acceptedA));
        Task writerB = Task.Run(() => Participants.WriteEachAsync(setup.B.Writer, [21, 22], acceptedB));
        Task reading = Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    taken.Add(readAny.TryRead(out int index, out int item) ? (index, item) : await readAny.ReadAsync());
                }
                catch (ChannelClosedException)
                {
                    return;
                }
            }
        });

        await Participants.AllAsync(writerA, writerB);
        setup.A.Writer.Complete();
        setup.B.Writer.Complete();
        await reading;

        List<int> items = [];
        foreach ((int index, int item) in taken)
        {
            Oracle.Holds(item / 10 == index + 1, $"Read-any said item {item} came through reader {index}.");
            items.Add(item);
        }

        Oracle.DeliveredExactlyTheAccepted(items, [.. acceptedA, .. acceptedB]);
    }
}
