using System;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Measures bytes allocated per operation by a workload, after a warm-up run of the same workload.</summary>
public static class AllocationMeter
{
    /// <summary>
    /// Runs <paramref name="workload"/> with <paramref name="warmUp"/> operations, then with
    /// <paramref name="operations"/>, and returns the process-wide bytes allocated during the second run per operation.
    /// </summary>
    public static async Task<double> BytesPerOperation(Func<int, Task> workload, int operations, int warmUp = 20_000)
    {
        await workload(warmUp);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await workload(operations);
        long after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)operations;
    }
}
