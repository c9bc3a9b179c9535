using System;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// The loops of <see cref="SelectSuite"/>: one WriteAsync producer per channel and one consumer that takes every
/// item from whichever channel has one, through our <see cref="ChannelSelector"/>, our
/// <see cref="ReadAnySelector{T}"/>, or the BCL workaround (<c>Task.WhenAny</c> over <c>WaitToReadAsync</c>, then
/// <c>TryRead</c>); and the references, a plain ReadAsync loop on one channel and a plain ReadAsync consumer that
/// reads the select's channels round-robin. The producers are the same code for
/// every consumer, so the rows differ only in how the consumer reads. Every consumer checks each item twice: that
/// it came from the channel the select said it did, and (with <see cref="ItemTally"/>) that every item written
/// arrived exactly once. A select that consumed from a losing clause, or reported the wrong one, fails here.
/// </summary>
internal static class SelectWorkloads
{
    /// <summary>
    /// Producer <c>p</c> of <paramref name="channels"/>' writers writes its share of 0..<paramref name="items"/>-1,
    /// the items [p × share, (p + 1) × share), to channel p; <paramref name="consume"/> reads all
    /// <paramref name="items"/> and returns its tally, checked here. The channels are left open and empty.
    /// </summary>
    public static void Run(Channel<int>[] channels, Func<Task<ItemTally>> consume, int items) =>
        ChannelWorkloads.Wait(RunAsync(channels, consume, items));

    /// <summary>How many items each of <paramref name="channels"/> producers writes.</summary>
    public static int ShareOf(int items, int channels) =>
        items % channels == 0
            ? items / channels
            : throw new ArgumentException($"{items} items do not split evenly among {channels} producers.", nameof(items));

    /// <summary>
    /// Throws unless <paramref name="item"/> is one that producer <paramref name="index"/> wrote, that is, unless
    /// the consumer read it from the channel it names.
    /// </summary>
    public static void CheckSource(int item, int index, int share)
    {
        if (item / share != index)
        {
            throw new InvalidOperationException(
                $"Item {item} was reported as read from channel {index}, but channel {item / share} carried it.");
        }
    }

    /// <summary>Our reusable select: one read clause per channel (<paramref name="clauses"/>, in clause order), awaited per item.</summary>
    public static async Task<ItemTally> ConsumeWithSelectorAsync(ChannelSelector selector, SelectReadClause<int>[] clauses, int items)
    {
        int share = ShareOf(items, clauses.Length);
        ItemTally tally = default;
        for (int i = 0; i < items; i++)
        {
            SelectResult result = await selector.SelectAsync();
            if (result.IsClosed)
            {
                throw new InvalidOperationException($"Select reported clause {result.Index}'s channel closed while open.");
            }

            int item = clauses[result.Index].Item;
            CheckSource(item, result.Index, share);
            tally = tally.Add(item);
        }

        return tally;
    }

    /// <summary>Our read-any convenience: one reusable <see cref="ReadAnySelector{T}"/>, awaited per item.</summary>
    public static async Task<ItemTally> ConsumeWithReadAnyAsync(ReadAnySelector<int> selector, int items)
    {
        int share = ShareOf(items, selector.Readers.Count);
        ItemTally tally = default;
        for (int i = 0; i < items; i++)
        {
            (int index, int item) = await selector.ReadAsync();
            CheckSource(item, index, share);
            tally = tally.Add(item);
        }

        return tally;
    }

    /// <summary>
    /// The usual .NET workaround, written as well as it goes: first a TryRead on each reader, starting from the next
    /// reader each time (fair, as a select's default), and only when none had an item, <c>Task.WhenAny</c> over
    /// one <c>WaitToReadAsync().AsTask()</c> per reader, then TryRead again (a wake-up is a hint, not an item).
    /// A wait still pending from an earlier round is kept in <paramref name="waits"/> (one slot per reader, kept
    /// across invocations) rather than issued again, so waiters do not pile up on a quiet channel.
    /// </summary>
    public static async Task<ItemTally> ConsumeWithWhenAnyAsync(ChannelReader<int>[] readers, Task<bool>[] waits, int items)
    {
        int share = ShareOf(items, readers.Length);
        ItemTally tally = default;
        int start = 0;
        while (tally.Count < items)
        {
            int index = -1;
            int item = 0;
            for (int k = 0; k < readers.Length && index < 0; k++)
            {
                int candidate = (start + k) % readers.Length;
                if (readers[candidate].TryRead(out item))
                {
                    index = candidate;
                }
            }

            if (index < 0)
            {
                for (int r = 0; r < readers.Length; r++)
                {
                    if (waits[r].IsCompleted)
                    {
                        waits[r] = readers[r].WaitToReadAsync().AsTask();
                    }
                }

                if (!await await Task.WhenAny(waits))
                {
                    throw new InvalidOperationException("WaitToReadAsync reported a channel closed while open.");
                }

                continue;
            }

            start = (start + 1) % readers.Length;
            CheckSource(item, index, share);
            tally = tally.Add(item);
        }

        return tally;
    }

    /// <summary>The reference: a plain ReadAsync loop on one channel.</summary>
    public static async Task<ItemTally> ConsumeWithReadAsync(ChannelReader<int> reader, int items)
    {
        ItemTally tally = default;
        for (int i = 0; i < items; i++)
        {
            tally = tally.Add(await reader.ReadAsync());
        }

        return tally;
    }

    /// <summary>
    /// The same-workload reference: no select, item i read with a plain ReadAsync from reader i mod
    /// <paramref name="readers"/>' count, and checked to come from that channel as a select row's items are.
    /// </summary>
    public static async Task<ItemTally> ConsumeRoundRobinAsync(ChannelReader<int>[] readers, int items)
    {
        int share = ShareOf(items, readers.Length);
        ItemTally tally = default;
        for (int i = 0; i < items; i++)
        {
            int index = i % readers.Length;
            int item = await readers[index].ReadAsync();
            CheckSource(item, index, share);
            tally = tally.Add(item);
        }

        return tally;
    }

    private static async Task RunAsync(Channel<int>[] channels, Func<Task<ItemTally>> consume, int items)
    {
        int share = ShareOf(items, channels.Length);
        var producers = new Task[channels.Length];
        for (int p = 0; p < channels.Length; p++)
        {
            ChannelWriter<int> writer = channels[p].Writer;
            int first = p * share;
            producers[p] = Task.Run(async () =>
            {
                for (int item = first; item < first + share; item++)
                {
                    await writer.WriteAsync(item);
                }
            });
        }

        ItemTally received;
        try
        {
            received = await Task.Run(consume);
        }
        catch (Exception failure)
        {
            // The producers would wait forever for a reader: fail them too, so the benchmark reports this failure
            // at once rather than the hang watchdog's timeout a minute later.
            foreach (Channel<int> channel in channels)
            {
                channel.Writer.TryComplete(failure);
            }

            throw;
        }

        await Task.WhenAll(producers);
        received.VerifyReceivedExactly(ItemTally.ForRange(items));
    }
}
