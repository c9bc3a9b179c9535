using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>Waits that fail instead of hanging, and the CPU work of a pipeline stage.</summary>
internal static class Bounded
{
    /// <summary>Blocks until <paramref name="task"/> ends, then rethrows its failure; throws if it has not ended within <paramref name="timeout"/>.</summary>
    public static void Wait(Task task, TimeSpan timeout, string what)
    {
        if (!task.Wait(timeout))
        {
            throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds} s (a hang, or a lost item or wake-up).");
        }
    }

    /// <inheritdoc cref="Wait(Task, TimeSpan, string)"/>
    public static T Wait<T>(Task<T> task, TimeSpan timeout, string what)
    {
        Wait((Task)task, timeout, what);
        return task.Result;
    }

    /// <summary>Blocks until <paramref name="signal"/> is set; throws if it is not within <paramref name="timeout"/>.</summary>
    public static void Wait(ManualResetEventSlim signal, TimeSpan timeout, string what)
    {
        if (!signal.Wait(timeout))
        {
            throw new TimeoutException($"{what}: not signalled within {timeout.TotalSeconds} s (a continuation never ran).");
        }
    }

    /// <summary>Keeps this thread busy for <paramref name="microseconds"/> of wall time: a stage's CPU work per item.</summary>
    public static void Spin(int microseconds)
    {
        long until = Stopwatch.GetTimestamp() + (microseconds * Stopwatch.Frequency / 1_000_000);
        while (Stopwatch.GetTimestamp() < until)
        {
            // Busy on purpose: the stage's work is CPU, not waiting.
        }
    }

    /// <summary>Milliseconds since <paramref name="start"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
