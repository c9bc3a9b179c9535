using System;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The async floor's loops deliver every item (no timing here), and the planted slowdown's arithmetic.</summary>
public class AsyncFloorAndSlowdownTests
{
    [Theory]
    [InlineData(Workload.PingPong)]
    [InlineData(Workload.OneToOne)]
    [InlineData(Workload.FourToFour)]
    [InlineData(Workload.CancelableToken)]
    [InlineData(Workload.ReadAll)]
    public void The_async_floor_runs_each_rendezvous_workload_to_its_end_on_the_calling_thread(Workload workload)
    {
        // The loops check every item (a loss or a duplicate throws) and Run throws if they stop before the end.
        int thread = Environment.CurrentManagedThreadId;
        AsyncFloorWorkloads.Run(workload, 4096);
        Assert.Equal(thread, Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void The_async_floor_has_no_TryWrite_TryRead_row() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AsyncFloorWorkloads.Run(Workload.TryWriteTryRead, 16));

    [Fact]
    public void A_planted_slowdown_adds_its_percentage_of_items_to_its_workload_only()
    {
        Assert.Equal(16384, PlantedSlowdown.ItemsFor(null, Workload.OneToOne, 16384));
        Assert.Equal(21300, PlantedSlowdown.ItemsFor("OneToOne:30", Workload.OneToOne, 16384)); // 21299.2, up to a multiple of 4
        Assert.Equal(21300, PlantedSlowdown.ItemsFor("onetoone:30%", Workload.OneToOne, 16384));
        Assert.Equal(16384, PlantedSlowdown.ItemsFor("OneToOne:30", Workload.PingPong, 16384));
    }

    [Theory]
    [InlineData("OneToOne")]
    [InlineData("Nope:30")]
    [InlineData("OneToOne:-5")]
    [InlineData("OneToOne:thirty")]
    public void A_malformed_slowdown_is_an_error_not_a_silent_no_op(string setting) =>
        Assert.Throws<FormatException>(() => PlantedSlowdown.ItemsFor(setting, Workload.OneToOne, 16384));
}
