namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The one way these tests wait: <c>await Eventually.Completes(operation)</c> awaits the operation and turns a hang
/// into a test failure after <see cref="HangTimeout"/>. The bound is generous and never used to synchronize:
/// correctness never depends on it, only liveness does.
/// </summary>
public static class Eventually
{
    /// <summary>How long an operation that should finish may take before the test calls it a hang.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Awaits <paramref name="task"/>; fails the test, naming <paramref name="what"/>, if it hangs.</summary>
    public static async Task Completes(Task task, string what = "the operation")
    {
        try
        {
            await task.WaitAsync(HangTimeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"Timed out after {HangTimeout.TotalSeconds} s waiting for {what} (it hangs).");
        }
    }

    /// <inheritdoc cref="Completes(Task, string)"/>
    public static async Task<T> Completes<T>(Task<T> task, string what = "the operation")
    {
        await Completes((Task)task, what);
        return await task;
    }

    /// <inheritdoc cref="Completes(Task, string)"/>
    public static Task Completes(ValueTask task, string what = "the operation") => Completes(task.AsTask(), what);

    /// <inheritdoc cref="Completes(Task, string)"/>
    public static Task<T> Completes<T>(ValueTask<T> task, string what = "the operation") => Completes(task.AsTask(), what);
}
