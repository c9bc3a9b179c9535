using System;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public class ItemTallyTests
{
    private static ItemTally TallyOf(params int[] items)
    {
        ItemTally tally = default;
        foreach (int item in items)
        {
            tally = tally.Add(item);
        }

        return tally;
    }

    [Fact]
    public void Every_item_once_in_any_order_matches_the_closed_form() =>
        TallyOf(3, 0, 4, 1, 2).VerifyReceivedExactly(ItemTally.ForRange(5));

    [Theory]
    [InlineData(0, 1, 2, 3)] // lost 4
    [InlineData(0, 1, 2, 3, 4, 4)] // duplicated 4
    [InlineData(0, 1, 2, 2, 4)] // lost 3, duplicated 2: the count still matches
    [InlineData(0, 0, 3, 4, 3)] // lost 1 and 2, duplicated 0 and 3: count and sum both still match
    public void A_lost_or_duplicated_item_throws(params int[] received) =>
        Assert.Throws<InvalidOperationException>(() => TallyOf(received).VerifyReceivedExactly(ItemTally.ForRange(5)));
}
