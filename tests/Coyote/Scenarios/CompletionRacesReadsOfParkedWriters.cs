using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Three writes parked in order (behind a full buffer, if the channel has one), then Complete racing a
/// TryRead/ReadAsync reader and, on an unbuffered channel, a second, TryRead-only reader. As with the BCL, where completion is atomic under a lock, the accepted
/// writes are the oldest ones: the writes that succeeded are 0..k-1 for some k, exactly those items are read
/// (with the buffer's fillers, once each), and every later write fails with ChannelClosedException. A read that
/// took a later writer's item after the completion had failed an earlier writer breaks the prefix.
/// </summary>
/// <remarks>
/// One reader only on a buffered channel: two readers balancing a ring at once can already let a later parked
/// writer into the ring before an earlier one (each claims a writer, the later one's add wins the free slot, the
/// earlier one parks again at the tail), completion or not. That reordering of parked writers is a separate
/// matter from the completion's drain that this scenario checks.
/// </remarks>
internal static class CompletionRacesReadsOfParkedWriters
{
    public static Scenario Scenario { get; } = new(nameof(CompletionRacesReadsOfParkedWriters), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        // Fillers count up from -100, so that every reader's items, in the order written, are in ascending order.
        const int FirstFiller = -100;
        int fillers = 0;
        while (channel.Writer.TryWrite(FirstFiller + fillers))
        {
            fillers++;
        }

        // As tasks: the scenario awaits them long after they park (and Coyote's rewriter handles Task awaits best).
        Task[] writes = [channel.Writer.WriteAsync(0).AsTask(), channel.Writer.WriteAsync(1).AsTask(), channel.Writer.WriteAsync(2).AsTask()];
        foreach (Task write in writes)
        {
            Oracle.Holds(!write.IsCompleted, "A write into a full channel completed without a reader.");
        }

        List<int> byTryRead = [], byEither = [];
        Task[] everyone =
        [
            fillers == 0 ? Task.Run(() => TryReadAFewAsync(channel.Reader, 2, byTryRead)) : Task.CompletedTask,
            Task.Run(() => Participants.ReadUntilClosedAsync(channel.Reader, byEither)),
            Task.Run(() => channel.Writer.Complete()),
        ];

        await Participants.AllAsync(everyone);
        await channel.Reader.Completion;

        var accepted = new List<int>();
        for (int i = 0; i < writes.Length; i++)
        {
            Task write = writes[i];
            try
            {
                await write;
                accepted.Add(i);
            }
            catch (ChannelClosedException)
            {
                // Refused by the completion: its item must never be read.
            }
        }

        Oracle.Holds(
            accepted.SequenceEqual(Enumerable.Range(0, accepted.Count)),
            $"The accepted parked writes [{string.Join(", ", accepted)}] are not the oldest ones: a later write was delivered after an earlier one failed.");
        Oracle.DeliveredExactlyTheAccepted([.. byTryRead, .. byEither], [.. Enumerable.Range(FirstFiller, fillers), .. accepted]);
        foreach (List<int> received in new[] { byTryRead, byEither })
        {
            Oracle.Holds(received.SequenceEqual(received.Order()), $"A reader read [{string.Join(", ", received)}], out of order.");
        }
    }

    /// <summary>Tries to read <paramref name="attempts"/> times, yielding after each miss, and records what it took.</summary>
    private static async Task TryReadAFewAsync(ChannelReader<int> reader, int attempts, List<int> received)
    {
        for (int i = 0; i < attempts; i++)
        {
            if (reader.TryRead(out int item))
            {
                received.Add(item);
            }
            else
            {
                await Task.Yield();
            }
        }
    }
}
