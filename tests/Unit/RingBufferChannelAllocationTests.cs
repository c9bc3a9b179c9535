using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;
using static Rendezvous.Channels.Tests.Unit.RingBufferTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// RingBufferChannel&lt;T&gt; allocates nothing in steady state (issue 3): under one byte per item, measured with
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/> over a long run after a warm-up run on the same channel, for the
/// common read and write patterns, including capacity-1 ping-pong where readers and writers park and wake on every
/// item. The counter is process-wide, so these tests run alone (the Allocation collection), and the run is long
/// enough that a test host's background allocations stay well under the budget.
/// </summary>
[Collection(AllocationCollection.Name)]
public class RingBufferChannelAllocationTests(ITestOutputHelper output)
{
    private const int Operations = 200_000;
    private const int WarmUp = 20_000;

    /// <summary>The budget: less than one byte allocated per item that went through the channel.</summary>
    private const double MaxBytesPerItem = 1.0;

    /// <summary>
    /// Measures up to three times (each after its own warm-up) and judges the best run. The counter is process-wide:
    /// the test host's own threads can allocate during a run (it happens mostly right after start-up), and that
    /// noise only ever adds. A workload that really allocates per item exceeds the budget in every run.
    /// </summary>
    private async Task AssertAllocationFree(string scenario, Func<int, Task> workload)
    {
        var runs = new List<double>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            runs.Add(await AllocationMeter.BytesPerOperation(n => workload(n).WithTimeout(scenario), Operations, WarmUp));
            if (runs[^1] < MaxBytesPerItem)
            {
                break;
            }
        }

        double best = runs.Min();
        output.WriteLine($"{scenario}: {string.Join(", ", runs.Select(r => r.ToString("F4", CultureInfo.InvariantCulture)))} bytes/item");
        Assert.True(best < MaxBytesPerItem, $"{scenario}: at least {best:F3} bytes allocated per item in each of {runs.Count} runs (budget {MaxBytesPerItem})");
    }

    private static Func<int, Task> WriteAsyncReadAsync(RingBufferChannel<int> channel, CancellationToken token) => n =>
    {
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < n; i++)
            {
                await channel.Writer.WriteAsync(i, token);
            }
        });
        Task reader = Task.Run(async () =>
        {
            for (int i = 0; i < n; i++)
            {
                int item = await channel.Reader.ReadAsync(token);
                if (item != i)
                {
                    throw new InvalidOperationException($"read {item}, expected {i}");
                }
            }
        });
        return Task.WhenAll(writer, reader);
    };

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task WriteAsync_ReadAsync_stream_allocates_nothing(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        await AssertAllocationFree($"WriteAsync/ReadAsync, capacity {capacity}", WriteAsyncReadAsync(channel, default));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task WriteAsync_ReadAsync_stream_with_cancelable_tokens_allocates_nothing(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        using var cts = new CancellationTokenSource(); // never canceled
        await AssertAllocationFree($"WriteAsync/ReadAsync with a cancelable token, capacity {capacity}", WriteAsyncReadAsync(channel, cts.Token));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task TryWrite_WaitToWriteAsync_and_WaitToReadAsync_TryRead_loops_allocate_nothing(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        using var cts = new CancellationTokenSource(); // never canceled
        await AssertAllocationFree($"TryWrite+WaitToWriteAsync / WaitToReadAsync+TryRead, capacity {capacity}", n =>
        {
            Task writer = Task.Run(async () =>
            {
                for (int i = 0; i < n; i++)
                {
                    while (!channel.Writer.TryWrite(i))
                    {
                        if (!await channel.Writer.WaitToWriteAsync(cts.Token))
                        {
                            throw new InvalidOperationException("completed");
                        }
                    }
                }
            });
            Task reader = Task.Run(async () =>
            {
                int expected = 0;
                while (expected < n && await channel.Reader.WaitToReadAsync(cts.Token))
                {
                    while (expected < n && channel.Reader.TryRead(out int item))
                    {
                        if (item != expected++)
                        {
                            throw new InvalidOperationException($"read {item}, expected {expected - 1}");
                        }
                    }
                }
            });
            return Task.WhenAll(writer, reader);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task ReadAllAsync_allocates_nothing_per_item(int capacity)
    {
        var channel = new RingBufferChannel<int>(capacity);
        await AssertAllocationFree($"WriteAsync / ReadAllAsync, capacity {capacity}", n =>
        {
            Task writer = Task.Run(async () =>
            {
                for (int i = 0; i < n; i++)
                {
                    await channel.Writer.WriteAsync(i);
                }
            });
            Task reader = Task.Run(async () =>
            {
                // One enumerator per run (a fixed cost, not per item); stop after n items without completing.
                int expected = 0;
                await foreach (int item in channel.Reader.ReadAllAsync())
                {
                    if (item != expected++)
                    {
                        throw new InvalidOperationException($"read {item}, expected {expected - 1}");
                    }

                    if (expected == n)
                    {
                        break;
                    }
                }
            });
            return Task.WhenAll(writer, reader);
        });
    }

    [Fact]
    public async Task Two_writers_and_two_readers_parking_on_capacity_one_allocate_nothing()
    {
        var channel = new RingBufferChannel<int>(1);
        using var cts = new CancellationTokenSource(); // never canceled
        await AssertAllocationFree("2 writers x 2 readers, WriteAsync/ReadAsync, capacity 1", n =>
        {
            int half = n / 2;
            Task Writer(CancellationToken token) => Task.Run(async () =>
            {
                for (int i = 0; i < half; i++)
                {
                    await channel.Writer.WriteAsync(i, token);
                }
            }, CancellationToken.None);
            Task Reader(CancellationToken token) => Task.Run(async () =>
            {
                for (int i = 0; i < half; i++)
                {
                    _ = await channel.Reader.ReadAsync(token);
                }
            }, CancellationToken.None);
            return Task.WhenAll(Writer(default), Writer(cts.Token), Reader(default), Reader(cts.Token));
        });
        Assert.Equal(0, channel.Reader.Count);
    }

    [Fact]
    public async Task The_measurement_detects_an_allocating_workload()
    {
        // Guards the meter itself: the same harness must see a workload that allocates a little per item.
        object?[] sink = new object?[1];
        double bytesPerItem = await AllocationMeter.BytesPerOperation(
            n =>
            {
                for (int i = 0; i < n; i++)
                {
                    sink[0] = new object();
                }

                return Task.CompletedTask;
            },
            Operations,
            WarmUp);
        output.WriteLine($"allocating workload: {bytesPerItem:F2} bytes/item");
        Assert.True(bytesPerItem >= 16, $"the meter saw only {bytesPerItem} bytes per allocation");
        Assert.NotNull(sink[0]);
    }
}
