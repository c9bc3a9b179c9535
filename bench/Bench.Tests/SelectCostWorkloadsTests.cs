using System;
using BenchmarkDotNet.Running;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>
/// Every SelectCostSuite row runs to its end in process, checking its items as in a benchmark run (no timing), and
/// the checks catch a lost item, an item left behind and a wrongly attributed one.
/// </summary>
public class SelectCostWorkloadsTests
{
    public static TheoryData<string, SelectChannelKind> Cases()
    {
        var cases = new TheoryData<string, SelectChannelKind>();
        foreach (string method in new[] { nameof(SelectCostSuite.ReadAsync), nameof(SelectCostSuite.SelectAsync), nameof(SelectCostSuite.TryRead), nameof(SelectCostSuite.TrySelect), nameof(SelectCostSuite.BclReadAsync) })
        {
            foreach (SelectChannelKind kind in Enum.GetValues<SelectChannelKind>())
            {
                cases.Add(method, kind);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_row_takes_every_item_exactly_once_invocation_after_invocation(string method, SelectChannelKind kind)
    {
        var suite = new SelectCostSuite { Kind = kind };
        (Action setUp, Action run) = method switch
        {
            nameof(SelectCostSuite.SelectAsync) => ((Action)suite.SetUpOurs, (Action)suite.SelectAsync),
            nameof(SelectCostSuite.TryRead) => (suite.SetUpOurs, suite.TryRead),
            nameof(SelectCostSuite.TrySelect) => (suite.SetUpOurs, suite.TrySelect),
            nameof(SelectCostSuite.BclReadAsync) => (suite.SetUpBcl, suite.BclReadAsync),
            _ => (suite.SetUpOurs, suite.ReadAsync),
        };
        BenchmarkInvocations.RunThree(setUp, run, suite.CompleteChannels);
    }

    [Theory]
    [InlineData(SelectChannelKind.Rendezvous)]
    [InlineData(SelectChannelKind.Ring1024)]
    public void A_take_that_loses_an_item_fails_the_invocation(SelectChannelKind kind)
    {
        var channels = new SelectCostChannels(kind, ours: true);
        try
        {
            // Planted: the first item of every round is selected but not counted.
            var failure = Assert.Throws<InvalidOperationException>(() => SelectCostWorkloads.Run(channels, (c, tally) =>
            {
                for (int k = 0; k < SelectCostChannels.Count * c.Batch; k++)
                {
                    Assert.True(c.Selector!.TrySelect(out SelectResult result));
                    int item = c.Clauses[result.Index].Item;
                    tally = k == 0 ? tally : tally.Add(item);
                }

                return tally;
            }));
            Assert.Contains("lost or duplicated", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            channels.Complete();
        }
    }

    [Theory]
    [InlineData(SelectChannelKind.Rendezvous, "still waiting")]
    [InlineData(SelectChannelKind.Ring1024, "refused")]
    public void A_take_that_leaves_an_item_in_its_channel_fails_the_invocation(SelectChannelKind kind, string expected)
    {
        var channels = new SelectCostChannels(kind, ours: true);
        try
        {
            // Planted: every round leaves channel 1's last item where it is (a parked writer, or an item in the ring).
            var failure = Assert.Throws<InvalidOperationException>(() => SelectCostWorkloads.Run(channels, (c, tally) =>
            {
                for (int channel = 0; channel < SelectCostChannels.Count; channel++)
                {
                    int take = channel == 1 ? c.Batch - 1 : c.Batch;
                    for (int j = 0; j < take; j++)
                    {
                        Assert.True(c.Readers[channel].TryRead(out int item));
                        tally = tally.Add(item);
                    }
                }

                return tally;
            }));
            Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            channels.Complete();
        }
    }

    [Fact]
    public void The_rendezvous_rounds_park_no_more_writers_than_a_waiter_pool_keeps_and_the_ring_rounds_fill_the_ring()
    {
        var rendezvous = new SelectCostChannels(SelectChannelKind.Rendezvous, ours: true);
        var ring = new SelectCostChannels(SelectChannelKind.Ring1024, ours: true);
        try
        {
            Assert.Equal(4, rendezvous.Batch);
            Assert.Equal(SelectCostChannels.Share, rendezvous.Batch * rendezvous.Rounds);
            Assert.Equal(SelectCostChannels.RingCapacity, ring.Batch);
            Assert.Equal(SelectCostChannels.Share, ring.Batch * ring.Rounds);
        }
        finally
        {
            rendezvous.Complete();
            ring.Complete();
        }
    }

    [Fact]
    public void The_suite_has_five_rows_per_kind_with_our_ReadAsync_as_the_baseline()
    {
        BenchmarkCase[] cases = BenchmarkConverter.TypeToBenchmarks(typeof(SelectCostSuite)).BenchmarksCases;
        Assert.Equal(5 * 2, cases.Length);
        Assert.All(cases, c => Assert.Equal(c.Descriptor.WorkloadMethod.Name == nameof(SelectCostSuite.ReadAsync), c.Descriptor.Baseline));
    }
}
