using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// Blocks the benchmark thread until a workload task ends, without System.Threading.Monitor. Returning the
/// task to BenchmarkDotNet would make it block in Task.GetAwaiter().GetResult(), whose wait and wake-up take
/// a Monitor lock and contend about once per invocation: noise in the ThreadingDiagnoser's lock-contention
/// column, where our lock-free channels must read exactly 0. A ManualResetEvent waits through the runtime's
/// wait subsystem, which does not count as Monitor contention.
/// </summary>
/// <remarks>
/// The wait is bounded: a channel that loses a wake-up or an item leaves its workload hanging, and a hang must
/// fail the benchmark (and CI's dry run) rather than stall it. An invocation normally takes milliseconds.
/// </remarks>
internal static class WorkloadCompletion
{
    // One event suffices: BenchmarkDotNet invokes a benchmark from a single thread, one invocation at a time.
    private static readonly ManualResetEvent s_completed = new(initialState: false);
    private static readonly Action s_signalCompleted = () => s_completed.Set();

    /// <summary>Hundreds of times an invocation's normal length, even on a loaded 2-core machine.</summary>
    private static readonly TimeSpan s_hangTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits for <paramref name="workload"/>, then rethrows its failure (a lost item, a mismatch).</summary>
    public static void Wait(Task workload)
    {
        if (!workload.IsCompleted)
        {
            s_completed.Reset();
            workload.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(s_signalCompleted);
            if (!s_completed.WaitOne(s_hangTimeout))
            {
                throw new TimeoutException(
                    $"The workload did not finish within {s_hangTimeout.TotalSeconds} s: the channel deadlocked, " +
                    "livelocked, or lost a wake-up or an item.");
            }
        }

        workload.GetAwaiter().GetResult();
    }
}
