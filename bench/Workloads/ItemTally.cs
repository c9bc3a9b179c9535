using System;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// Count, sum and sum of squares of the items a benchmark received. Comparing it with the tally of what was
/// sent catches a lost or a duplicated item (the squares catch a loss and a duplicate that cancel in the sum),
/// so a broken channel fails its benchmark instead of looking fast.
/// </summary>
internal readonly record struct ItemTally(long Count, long Sum, long SumOfSquares)
{
    /// <summary>The tally of the items 0, 1, ..., <paramref name="count"/> - 1, in closed form.</summary>
    public static ItemTally ForRange(int count)
    {
        long n = count;
        return new ItemTally(n, n * (n - 1) / 2, (n - 1) * n * ((2 * n) - 1) / 6);
    }

    public ItemTally Add(int item) => new(Count + 1, Sum + item, SumOfSquares + ((long)item * item));

    public ItemTally Combine(ItemTally other) =>
        new(Count + other.Count, Sum + other.Sum, SumOfSquares + other.SumOfSquares);

    /// <summary>Throws unless exactly the items of <paramref name="sent"/> were received, each once.</summary>
    public void VerifyReceivedExactly(ItemTally sent)
    {
        if (this != sent)
        {
            throw new InvalidOperationException(
                $"The channel lost or duplicated items: sent {sent}, received {this}.");
        }
    }
}
