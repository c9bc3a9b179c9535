using System.Globalization;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Measures bytes allocated per operation by a workload, with <see cref="GC.GetTotalAllocatedBytes(bool)"/>, after
/// a warm-up run of the same workload. The counter is process-wide, so the tests that use it run alone (the
/// <see cref="AllocationCollection"/>), and each run is long enough that a test host's background allocations stay
/// well under the budget.
/// </summary>
public static class AllocationMeter
{
    public const int Operations = 200_000;

    public const int WarmUp = 20_000;

    /// <summary>The budget of an allocation-free workload: less than one byte per item through the channel.</summary>
    public const double MaxBytesPerItem = 1.0;

    /// <summary>
    /// Runs <paramref name="workload"/> with <paramref name="warmUp"/> operations, then with
    /// <paramref name="operations"/>, and returns the process-wide bytes allocated during the second run per operation.
    /// </summary>
    public static async Task<double> BytesPerOperation(Func<int, Task> workload, int operations = Operations, int warmUp = WarmUp)
    {
        await workload(warmUp);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await workload(operations);
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)operations;
    }

    /// <summary>
    /// Asserts that <paramref name="workload"/> allocates under <see cref="MaxBytesPerItem"/>: measures up to three
    /// times (each after its own warm-up) and judges the best run. The test host's own threads can allocate during a
    /// run (mostly right after start-up), and that noise only ever adds; a workload that really allocates per item
    /// exceeds the budget in every run.
    /// </summary>
    public static async Task AssertAllocationFree(string scenario, Func<int, Task> workload, ITestOutputHelper output)
    {
        var runs = new List<double>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            runs.Add(await BytesPerOperation(n => Eventually.Completes(workload(n), scenario)));
            if (runs[^1] < MaxBytesPerItem)
            {
                break;
            }
        }

        double best = runs.Min();
        output.WriteLine($"{scenario}: {string.Join(", ", runs.Select(r => r.ToString("F4", CultureInfo.InvariantCulture)))} bytes/item");
        Assert.True(best < MaxBytesPerItem, $"{scenario}: at least {best:F3} bytes allocated per item in each of {runs.Count} runs (budget {MaxBytesPerItem})");
    }
}
