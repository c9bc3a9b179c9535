using System;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The loops of <see cref="SelectCostSuite"/>, all on the calling thread: round after round, make items ready on both
/// channels (<see cref="SelectCostChannels.Fill"/>), take them one way (a <see cref="SelectCostTake"/>), observe the
/// parked writers. Every row runs the same rounds, fills, checks and tally, so rows differ only in how an item is
/// taken. Every item is checked twice, as in <see cref="SelectWorkloads"/>: that it came from the channel the read
/// or the select named, and that the invocation's items arrived exactly once.
/// </summary>
internal static class SelectCostWorkloads
{
    /// <summary>One invocation: every round of <paramref name="channels"/> taken by <paramref name="take"/>, then the tally checked.</summary>
    public static void Run(SelectCostChannels channels, SelectCostTake take)
    {
        ItemTally tally = default;
        for (int round = 0; round < channels.Rounds; round++)
        {
            channels.Fill(round);
            tally = take(channels, tally);
            channels.ObserveWriters();
        }

        tally.VerifyReceivedExactly(ItemTally.ForRange(SelectCostChannels.Items));
    }

    /// <summary>Awaited ReadAsync: channel 0's items, then channel 1's.</summary>
    public static ItemTally TakeWithReadAsync(SelectCostChannels channels, ItemTally tally) =>
        Synchronously(ReadAsyncRound(channels, tally), "ReadAsync");

    /// <summary>Awaited SelectAsync of the two-clause selector, once per item; the item from the winning clause.</summary>
    public static ItemTally TakeWithSelectAsync(SelectCostChannels channels, ItemTally tally) =>
        Synchronously(SelectAsyncRound(channels, tally), "SelectAsync");

    /// <summary>TryRead: channel 0's items, then channel 1's.</summary>
    public static ItemTally TakeWithTryRead(SelectCostChannels channels, ItemTally tally)
    {
        for (int c = 0; c < SelectCostChannels.Count; c++)
        {
            var reader = channels.Readers[c];
            for (int j = 0; j < channels.Batch; j++)
            {
                if (!reader.TryRead(out int item))
                {
                    throw new InvalidOperationException($"TryRead on channel {c} found no item, though one was ready.");
                }

                tally = Check(tally, item, c);
            }
        }

        return tally;
    }

    /// <summary>TrySelect of the two-clause selector, once per item; the item from the winning clause.</summary>
    public static ItemTally TakeWithTrySelect(SelectCostChannels channels, ItemTally tally)
    {
        ChannelSelector selector = channels.Selector!;
        for (int k = 0; k < SelectCostChannels.Count * channels.Batch; k++)
        {
            if (!selector.TrySelect(out SelectResult result))
            {
                throw new InvalidOperationException("TrySelect found no ready clause, though both channels had items.");
            }

            tally = Check(tally, Selected(channels, result), result.Index);
        }

        return tally;
    }

    private static async ValueTask<ItemTally> ReadAsyncRound(SelectCostChannels channels, ItemTally tally)
    {
        for (int c = 0; c < SelectCostChannels.Count; c++)
        {
            var reader = channels.Readers[c];
            for (int j = 0; j < channels.Batch; j++)
            {
                tally = Check(tally, await reader.ReadAsync(), c);
            }
        }

        return tally;
    }

    private static async ValueTask<ItemTally> SelectAsyncRound(SelectCostChannels channels, ItemTally tally)
    {
        ChannelSelector selector = channels.Selector!;
        for (int k = 0; k < SelectCostChannels.Count * channels.Batch; k++)
        {
            SelectResult result = await selector.SelectAsync();
            tally = Check(tally, Selected(channels, result), result.Index);
        }

        return tally;
    }

    private static int Selected(SelectCostChannels channels, SelectResult result) =>
        result.IsClosed
            ? throw new InvalidOperationException($"Select reported clause {result.Index}'s channel closed while open.")
            : channels.Clauses[result.Index].Item;

    private static ItemTally Check(ItemTally tally, int item, int channel)
    {
        SelectWorkloads.CheckSource(item, channel, SelectCostChannels.Share);
        return tally.Add(item);
    }

    /// <summary>
    /// The round's result. Every item was ready, so an await that did not complete at once means an operation parked
    /// with nobody on the other side: fail rather than wait forever.
    /// </summary>
    private static ItemTally Synchronously(ValueTask<ItemTally> round, string operation) =>
        round.IsCompleted
            ? round.Result
            : throw new InvalidOperationException($"{operation} waited although every item of the round was ready.");
}
