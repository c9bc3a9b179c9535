// CancellationStorm: several writers and readers on one channel, canceling their own and each other's
// WriteAsync/ReadAsync at random moments while partners race to complete them, then an exactly-once audit of every item.
//
// One source, compiled into two projects: the bench's `storm` command (against the BCL and ours) and the unit test
// tests/Unit/CancellationStormTests.cs (ours must pass), which links this file rather than referencing the bench.

using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Storm;

/// <summary>How long a storm runs, and how hard it blows.</summary>
/// <param name="Writers">Concurrent writers, each calling WriteAsync(item, token) in a loop.</param>
/// <param name="Readers">Concurrent readers, each calling ReadAsync(token) in a loop.</param>
/// <param name="MaxItems">Items offered in all (item ids are 0 .. MaxItems - 1); the storm stops when they are.</param>
/// <param name="Duration">The storm also stops offering items after this long.</param>
/// <param name="CancelOneIn">
/// An operation that does not complete at once is canceled by its caller with probability 1/CancelOneIn; and after
/// each operation a participant cancels another's current token with the same probability.
/// </param>
/// <param name="Seed">Seeds every participant's random choices (participant i uses Seed + i).</param>
internal sealed record StormSettings(int Writers, int Readers, int MaxItems, TimeSpan Duration, int CancelOneIn, int Seed)
{
    /// <summary>The greatest random pause (in SpinWait iterations) between parking and canceling.</summary>
    public int MaxSpinBeforeCancel { get; init; } = 200;
}

/// <summary>
/// What a storm did, and the audit of every item: a correct channel has <see cref="Lost"/>,
/// <see cref="DeliveredAfterCanceled"/>, <see cref="DeliveredAfterFailed"/>, <see cref="Duplicated"/> and
/// <see cref="Unknown"/> all 0.
/// </summary>
internal sealed record StormResult(
    int Offered,
    int WrittenOk,
    int WritesCanceled,
    int WritesFailed,
    long Read,
    long ReadsCanceled,
    int Lost,
    int DeliveredAfterCanceled,
    int DeliveredAfterFailed,
    int Duplicated,
    int Unknown,
    TimeSpan Elapsed)
{
    /// <summary>Whether every successful write was read exactly once and nothing else was read.</summary>
    public bool IsExactlyOnce =>
        Lost == 0 && DeliveredAfterCanceled == 0 && DeliveredAfterFailed == 0 && Duplicated == 0 && Unknown == 0 &&
        Read == WrittenOk;

    public override string ToString() =>
        $"offered {Offered}, written OK {WrittenOk}, writes canceled {WritesCanceled}, writes failed {WritesFailed}, " +
        $"read {Read}, reads canceled {ReadsCanceled}, lost {Lost}, delivered after canceled {DeliveredAfterCanceled}, " +
        $"delivered after failed {DeliveredAfterFailed}, duplicated {Duplicated}, unknown {Unknown}, {Elapsed.TotalSeconds:F1} s";
}

/// <summary>
/// A storm of random cancellations on both sides of one channel. Every writer offers fresh item ids; an operation
/// that does not complete at once is, now and then, canceled by its own caller after a random pause, and any
/// participant's token is, now and then, canceled by another participant from its own thread, at whatever moment;
/// so cancellations race the partners completing the operations. When the writers have stopped, the channel is completed
/// and the readers drain it. Then each item is audited: a write that completed successfully must have been read
/// exactly once; a write that threw (canceled, or closed) must never have been read.
/// </summary>
internal static class CancellationStorm
{
    private const byte NotOffered = 0;
    private const byte Offered = 1;
    private const byte WrittenOk = 2;
    private const byte WriteCanceled = 3;
    private const byte WriteFailed = 4;

    public static async Task<StormResult> RunAsync(Channel<int> channel, StormSettings settings)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(settings);
        var outcomes = new byte[settings.MaxItems];
        var reads = new int[settings.MaxItems];
        int nextItem = -1;
        int unknown = 0;
        long readsCanceled = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var clock = Stopwatch.StartNew();

        // Each participant's current token source, so that others can cancel it at random moments, from their threads.
        var sources = new CancellationTokenSource[settings.Writers + settings.Readers];
        for (int i = 0; i < sources.Length; i++)
        {
            sources[i] = new CancellationTokenSource();
        }

        async Task WriteLoop(int self, int seed)
        {
            var random = new Random(seed);
            CancellationTokenSource cts = sources[self];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                int item = Interlocked.Increment(ref nextItem);
                if (item >= settings.MaxItems)
                {
                    return;
                }

                // Recorded before the write starts: a reader may take the item before WriteAsync returns.
                Volatile.Write(ref outcomes[item], Offered);
                ValueTask write = channel.Writer.WriteAsync(item, cts.Token);
                bool canceling = !write.IsCompleted && random.Next(settings.CancelOneIn) == 0;
                if (canceling)
                {
                    // Cancel while a reader may be taking the item this very moment. Cancel, not CancelAsync:
                    // the callback runs here, on the writer's thread, racing the reader's on its own.
                    Pause(random, settings);
                    cts.Cancel();
                }

                byte outcome;
                try
                {
                    await write.ConfigureAwait(false);
                    outcome = WrittenOk;
                }
                catch (OperationCanceledException)
                {
                    outcome = WriteCanceled;
                }
                catch (ChannelClosedException)
                {
                    outcome = WriteFailed;
                }

                Volatile.Write(ref outcomes[item], outcome);
                cts = NextSource(sources, self, cts, random, settings);
            }
        }

        async Task ReadLoop(int self, int seed)
        {
            var random = new Random(seed);
            CancellationTokenSource cts = sources[self];
            while (true)
            {
                ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
                bool canceling = !read.IsCompleted && random.Next(settings.CancelOneIn) == 0;
                if (canceling)
                {
                    // Cancel while a writer may be handing an item to this read this very moment.
                    Pause(random, settings);
                    cts.Cancel();
                }

                try
                {
                    int item = await read.ConfigureAwait(false);
                    if ((uint)item < (uint)reads.Length)
                    {
                        Interlocked.Increment(ref reads[item]);
                    }
                    else
                    {
                        Interlocked.Increment(ref unknown);
                    }
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref readsCanceled);
                }
                catch (ChannelClosedException)
                {
                    // Completed and drained: nothing more will ever come.
                    return;
                }

                cts = NextSource(sources, self, cts, random, settings);
            }
        }

        var writers = new Task[settings.Writers];
        var readers = new Task[settings.Readers];
        for (int i = 0; i < writers.Length; i++)
        {
            int self = i;
            writers[i] = Task.Run(() => WriteLoop(self, settings.Seed + self));
        }

        for (int i = 0; i < readers.Length; i++)
        {
            int self = writers.Length + i;
            readers[i] = Task.Run(() => ReadLoop(self, settings.Seed + self));
        }

        // Writers first (each ends with its last write settled), then completion lets the readers drain and stop.
        await Task.WhenAll(writers).ConfigureAwait(false);
        channel.Writer.TryComplete();
        await Task.WhenAll(readers).ConfigureAwait(false);
        clock.Stop();

        return Audit(outcomes, reads, Math.Min(nextItem + 1, settings.MaxItems), unknown, readsCanceled, clock.Elapsed);
    }

    /// <summary>
    /// After each operation: now and then cancels another participant's current token (a cancellation from a
    /// foreign thread, at whatever moment that participant's operation is in), then returns the token source for
    /// this participant's next operation: the same one reset, or a fresh one if it was canceled meanwhile.
    /// Sources are never disposed (another participant may be canceling one at any moment); the GC takes them.
    /// </summary>
    private static CancellationTokenSource NextSource(
        CancellationTokenSource[] sources, int self, CancellationTokenSource current, Random random, StormSettings settings)
    {
        if (random.Next(settings.CancelOneIn) == 0)
        {
            int other = random.Next(sources.Length);
            if (other != self)
            {
                Volatile.Read(ref sources[other]).Cancel();
            }
        }

        if (current.TryReset())
        {
            return current;
        }

        var fresh = new CancellationTokenSource();
        Volatile.Write(ref sources[self], fresh);
        return fresh;
    }

    private static void Pause(Random random, StormSettings settings)
    {
        int spins = random.Next(settings.MaxSpinBeforeCancel);
        for (int i = 0; i < spins; i++)
        {
            Thread.SpinWait(8);
        }
    }

    private static StormResult Audit(byte[] outcomes, int[] reads, int offered, int unknown, long readsCanceled, TimeSpan elapsed)
    {
        int writtenOk = 0, canceled = 0, failed = 0, lost = 0, afterCanceled = 0, afterFailed = 0, duplicated = 0;
        long read = 0;
        for (int item = 0; item < offered; item++)
        {
            int times = reads[item];
            read += times;
            switch (outcomes[item])
            {
                case WrittenOk:
                    writtenOk++;
                    lost += times == 0 ? 1 : 0;
                    duplicated += times > 1 ? 1 : 0;
                    break;
                case WriteCanceled:
                    canceled++;
                    afterCanceled += times != 0 ? 1 : 0;
                    break;
                case WriteFailed:
                    failed++;
                    afterFailed += times != 0 ? 1 : 0;
                    break;
                default:
                    // Every write has settled before the audit: an item still merely offered (or never) is a bug here.
                    Debug.Assert(outcomes[item] is NotOffered or Offered);
                    unknown++;
                    break;
            }
        }

        return new StormResult(offered, writtenOk, canceled, failed, read, readsCanceled, lost, afterCanceled, afterFailed,
            duplicated, unknown, elapsed);
    }
}
