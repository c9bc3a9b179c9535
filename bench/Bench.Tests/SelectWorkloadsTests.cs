using System;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>
/// Every SelectSuite row runs to its end in process, checking its items as in a benchmark run (no timing), and
/// the checks themselves catch a wrongly attributed item.
/// </summary>
public class SelectWorkloadsTests
{
    public static TheoryData<string, SelectChannelKind, int, ContinuationMode> Cases()
    {
        var cases = new TheoryData<string, SelectChannelKind, int, ContinuationMode>();
        foreach (string method in new[] { nameof(SelectSuite.Selector), nameof(SelectSuite.ReadAny), nameof(SelectSuite.BclWhenAny), nameof(SelectSuite.PlainReadAsync), nameof(SelectSuite.PlainReadAsyncSameProducers), nameof(SelectSuite.RoundRobin) })
        {
            foreach (SelectChannelKind kind in Enum.GetValues<SelectChannelKind>())
            {
                foreach (ContinuationMode mode in Enum.GetValues<ContinuationMode>())
                {
                    cases.Add(method, kind, 2, mode);
                    cases.Add(method, kind, 4, mode);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_row_moves_every_item_exactly_once_invocation_after_invocation(string method, SelectChannelKind kind, int producers, ContinuationMode mode)
    {
        var suite = new SelectSuite { Kind = kind, Producers = producers, Mode = mode };
        (Action setUp, Action run) = method switch
        {
            nameof(SelectSuite.Selector) => ((Action)suite.SetUpSelector, (Action)suite.Selector),
            nameof(SelectSuite.ReadAny) => (suite.SetUpReadAny, suite.ReadAny),
            nameof(SelectSuite.BclWhenAny) => (suite.SetUpBcl, suite.BclWhenAny),
            nameof(SelectSuite.PlainReadAsyncSameProducers) => (suite.SetUpPlainSameProducers, suite.PlainReadAsyncSameProducers),
            nameof(SelectSuite.RoundRobin) => (suite.SetUpRoundRobin, suite.RoundRobin),
            _ => (suite.SetUpPlain, suite.PlainReadAsync),
        };
        BenchmarkInvocations.RunThree(setUp, run, suite.CompleteChannels);
    }

    [Fact]
    public void An_item_attributed_to_the_wrong_channel_fails_the_check()
    {
        SelectWorkloads.CheckSource(item: 8191, index: 0, share: 8192);
        SelectWorkloads.CheckSource(item: 8192, index: 1, share: 8192);
        Assert.Throws<InvalidOperationException>(() => SelectWorkloads.CheckSource(item: 8192, index: 0, share: 8192));
    }

    [Fact]
    public void A_consumer_that_reads_one_channel_only_fails_the_run_instead_of_hanging()
    {
        // A planted broken "select": it reads channel 0 and reports it as channel 1.
        Channel<int>[] channels = [new RendezvousChannel<int>(), new RendezvousChannel<int>()];
        var failure = FailureOf(channels, () => SelectWorkloads.Run(
            channels,
            async () =>
            {
                int item = await channels[0].Reader.ReadAsync();
                SelectWorkloads.CheckSource(item, index: 1, share: 8);
                return default;
            },
            items: 16));
        Assert.Contains("carried it", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_that_loses_an_item_fails_the_tally()
    {
        Channel<int>[] channels = [new RingBufferChannel<int>(16)];
        FailureOf(channels, () => SelectWorkloads.Run(
            channels,
            async () =>
            {
                ItemTally tally = default;
                for (int i = 0; i < 16; i++)
                {
                    int item = await channels[0].Reader.ReadAsync();
                    tally = i == 5 ? tally : tally.Add(item); // drops one
                }

                return tally;
            },
            items: 16));
    }

    [Fact]
    public void A_round_robin_consumer_checks_that_item_i_came_from_channel_i_mod_producers()
    {
        // Planted: the producers of channels 0 and 1 swap ranges, so the round-robin consumer's first item, read from
        // channel 0, is producer 1's.
        Channel<int>[] channels = [new RingBufferChannel<int>(16), new RingBufferChannel<int>(16)];
        Channel<int>[] swapped = [channels[1], channels[0]];
        var failure = FailureOf(channels, () => SelectWorkloads.Run(
            swapped,
            () => SelectWorkloads.ConsumeRoundRobinAsync([channels[0].Reader, channels[1].Reader], 16),
            items: 16));
        Assert.Contains("carried it", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_Chained_mode_the_suite_runs_two_producers_and_the_rows_that_tell_the_select_cost_apart()
    {
        BenchmarkCase[] cases = BenchmarkConverter.TypeToBenchmarks(typeof(SelectSuite)).BenchmarksCases;
        static bool Chained(BenchmarkCase c) => Equals(c.Parameters[nameof(SelectSuite.Mode)], ContinuationMode.Chained);

        // ThreadPool: 6 methods x 2 kinds x 2 producer counts; Chained: 4 methods x 2 kinds x 2 producers.
        Assert.Equal((6 * 2 * 2) + (4 * 2), cases.Length);
        Assert.All(cases.Where(Chained), c => Assert.Equal(2, c.Parameters[nameof(SelectSuite.Producers)]));
        Assert.Equal(
            [nameof(SelectSuite.BclWhenAny), nameof(SelectSuite.PlainReadAsync), nameof(SelectSuite.RoundRobin), nameof(SelectSuite.Selector)],
            cases.Where(Chained).Select(c => c.Descriptor.WorkloadMethod.Name).Distinct().Order());
    }

    [Fact]
    public void The_producer_counts_must_split_the_items_evenly() =>
        Assert.Throws<ArgumentException>(() => SelectWorkloads.ShareOf(16384, 3));

    /// <summary>The failure a planted broken run must end in; the run's channels are completed whatever happened.</summary>
    private static InvalidOperationException FailureOf(Channel<int>[] channels, Action run)
    {
        try
        {
            return Assert.Throws<InvalidOperationException>(run);
        }
        finally
        {
            foreach (Channel<int> channel in channels)
            {
                channel.Writer.TryComplete();
            }
        }
    }
}
