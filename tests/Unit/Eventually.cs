using System;
using System.Threading.Tasks;
using Xunit;

namespace RendezvousChannel.Tests.Unit;

/// <summary>Turns a hang into a test failure: correctness never depends on these limits, only liveness does.</summary>
public static class Eventually
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    public static async Task Completes(Task task)
    {
        Task winner = await Task.WhenAny(task, Task.Delay(s_limit));
        Assert.True(ReferenceEquals(winner, task), "The operation did not complete: it hangs.");
        await task;
    }

    public static async Task<T> Completes<T>(Task<T> task)
    {
        await Completes((Task)task);
        return await task;
    }

    public static Task<T> Completes<T>(ValueTask<T> task) => Completes(task.AsTask());

    public static Task Completes(ValueTask task) => Completes(task.AsTask());

    /// <summary>Spins (yielding) until <paramref name="condition"/> holds; fails if it never does.</summary>
    public static async Task Holds(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + s_limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition never held.");
            await Task.Yield();
        }
    }
}
