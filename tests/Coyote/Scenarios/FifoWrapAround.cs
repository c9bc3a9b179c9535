using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Two producers of three items each through one consumer: a ring buffer of capacity 1 or 2 wraps around
/// several times. Every item is read once, and each producer's items come out in the order it wrote them
/// (each producer has one write outstanding at a time, and the channel is FIFO).
/// </summary>
internal static class FifoWrapAround
{
    public static Scenario Scenario { get; } = new(nameof(FifoWrapAround), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        List<int>[] accepted = [[], []];
        List<int> received = [];
        Task[] producers = [.. accepted.Select((log, p) => Task.Run(() => Participants.WriteEachAsync(channel.Writer, [(10 * p) + 11, (10 * p) + 12, (10 * p) + 13], log)))];
        Task consumer = Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, received));

        await Participants.AllAsync(producers);
        channel.Writer.Complete();
        await consumer;
        await channel.Reader.Completion;

        Oracle.DeliveredExactlyTheAccepted(received, accepted.SelectMany(log => log));
        foreach (List<int> written in accepted)
        {
            int[] order = [.. received.Where(written.Contains)];
            Oracle.Holds(order.SequenceEqual(written), $"Items written in the order [{string.Join(", ", written)}] were read in the order [{string.Join(", ", order)}].");
        }
    }
}
