using System;
using System.Threading.Channels;
using System.Threading.Tasks;
using Xunit;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Shared helpers for the RingBufferChannel&lt;T&gt; tests.</summary>
internal static class RingBufferTestSupport
{
    /// <summary>Generous bound that turns a hang into a failure; never used to synchronize.</summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Wall-clock bound on the extra rounds of a rounds-based stress test: each runs a minimum number of rounds,
    /// then more until this much time has passed or its maximum is reached, so that a heavily loaded machine
    /// shortens the run instead of stretching it. Every round that runs is checked in full.
    /// </summary>
    public static readonly TimeSpan RoundsBudget = TimeSpan.FromSeconds(3);

    /// <summary>Which implementation a contract test runs against: ours, or the BCL's bounded channel as the reference.</summary>
    public static TheoryData<string> Implementations => new() { Ring, Bcl };

    public const string Ring = "Ring";

    public const string Bcl = "Bcl";

    /// <summary>Our ring channel, or <c>Channel.CreateBounded</c> with the same capacity (Wait mode, MPMC).</summary>
    public static Channel<T> Create<T>(string implementation, int capacity) => implementation switch
    {
        Ring => new RingBufferChannel<T>(capacity),
        Bcl => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait }),
        _ => throw new ArgumentOutOfRangeException(nameof(implementation), implementation, "Unknown implementation."),
    };

    /// <summary>Awaits <paramref name="task"/>, failing the test instead of hanging if it does not finish in time.</summary>
    public static async Task WithTimeout(this Task task, string what = "operation")
    {
        if (await Task.WhenAny(task, Task.Delay(HangTimeout)) != task)
        {
            Assert.Fail($"Timed out after {HangTimeout.TotalSeconds} s waiting for: {what}");
        }

        await task;
    }

    /// <inheritdoc cref="WithTimeout(Task, string)"/>
    public static async Task<T> WithTimeout<T>(this Task<T> task, string what = "operation")
    {
        if (await Task.WhenAny(task, Task.Delay(HangTimeout)) != task)
        {
            Assert.Fail($"Timed out after {HangTimeout.TotalSeconds} s waiting for: {what}");
        }

        return await task;
    }

    /// <inheritdoc cref="WithTimeout(Task, string)"/>
    public static Task WithTimeout(this ValueTask task, string what = "operation") => task.AsTask().WithTimeout(what);

    /// <inheritdoc cref="WithTimeout(Task, string)"/>
    public static Task<T> WithTimeout<T>(this ValueTask<T> task, string what = "operation") => task.AsTask().WithTimeout(what);

    /// <summary>Fills a channel to <paramref name="count"/> items with TryWrite, asserting each is accepted.</summary>
    public static void Fill(ChannelWriter<int> writer, int count, int first = 0)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(writer.TryWrite(first + i), $"TryWrite #{i} should have been accepted");
        }
    }
}

/// <summary>
/// The CPU-heavy RingBufferChannel&lt;T&gt; stress and race tests: one collection, so that they run one after
/// another (each wants both processors) while other collections still run in parallel with them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RingBufferStressCollection
{
    public const string Name = "RingBuffer stress";
}
