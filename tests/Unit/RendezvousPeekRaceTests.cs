namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// TryPeek on a rendezvous channel while writers park, readers take, and both sides cancel: a peek never shows an
/// item whose write had already ended (taken, or canceled) before the peek began, nor anything never offered. That
/// is the promise of <c>ParkingLot.TryPeekParkedWriter</c>: an item a writer parked at some instant during the call
/// really offered.
/// </summary>
[Collection(StressCollection.Name)]
public class RendezvousPeekRaceTests(ITestOutputHelper output)
{
    private const int Items = 40_000;

    [Fact]
    public async Task A_peek_racing_hand_offs_and_cancellations_shows_only_an_item_still_offered_during_the_call()
    {
        var channel = new RendezvousChannel<int>();
        var offered = new bool[Items + 1];
        var endedAt = new long[Items + 1];
        long clock = 0;
        int next = 0;

        async Task Writer(int seed)
        {
            var random = new Random(seed);
            while (true)
            {
                int item = Interlocked.Increment(ref next);
                if (item > Items)
                {
                    return;
                }

                using var cts = new CancellationTokenSource();
                Volatile.Write(ref offered[item], true);
                ValueTask write = channel.Writer.WriteAsync(item, cts.Token);
                if (!write.IsCompleted && random.Next(3) == 0)
                {
                    Thread.SpinWait(random.Next(200));
                    cts.Cancel();
                }

                try
                {
                    await write;
                }
                catch (OperationCanceledException)
                {
                }

                // Stamped after the write has ended: a peek that began after this stamp must not show the item.
                Volatile.Write(ref endedAt[item], Interlocked.Increment(ref clock));
            }
        }

        async Task Reader(int seed)
        {
            var random = new Random(seed);
            while (true)
            {
                using var cts = new CancellationTokenSource();
                ValueTask<int> read = channel.Reader.ReadAsync(cts.Token);
                if (!read.IsCompleted && random.Next(3) == 0)
                {
                    Thread.SpinWait(random.Next(200));
                    cts.Cancel();
                }

                try
                {
                    await read;
                }
                catch (OperationCanceledException)
                {
                }
                catch (ChannelClosedException)
                {
                    return;
                }
            }
        }

        Task writers = Task.WhenAll(Task.Run(() => Writer(1)), Task.Run(() => Writer(2)));
        Task readers = Task.WhenAll(Task.Run(() => Reader(3)), Task.Run(() => Reader(4)));
        int shown = 0;
        Exception? peekFailure = null;
        var peeker = new Thread(() =>
        {
            try
            {
                while (!writers.IsCompleted)
                {
                    long start = Interlocked.Read(ref clock);
                    if (channel.Reader.TryPeek(out int item))
                    {
                        shown++;
                        CheckPeeked(item, start);
                    }
                }
            }
            catch (InvalidOperationException e)
            {
                peekFailure = e;
            }
        }) { IsBackground = true, Name = "peeker" };
        peeker.Start();

        void CheckPeeked(int item, long start)
        {
            if (item < 1 || item > Items || !Volatile.Read(ref offered[item]))
            {
                throw new InvalidOperationException($"peeked {item}, which no writer offered");
            }

            long ended = Volatile.Read(ref endedAt[item]);
            if (ended != 0 && ended <= start)
            {
                throw new InvalidOperationException($"peeked {item}, whose write had ended before the peek began");
            }
        }

        await Eventually.Completes(writers, "the writers");
        channel.Writer.Complete();
        await Eventually.Completes(readers, "the readers");
        Assert.True(peeker.Join(Eventually.HangTimeout), "the peeker hangs");
        output.WriteLine($"{shown} peeks showed an item");
        Assert.Null(peekFailure);
        Assert.True(shown > 0, "no peek ever showed an item: the race tested nothing");
    }
}
