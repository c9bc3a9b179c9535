// SelectWakeupRaceTests: one event racing a select that is parking its clauses, with nothing after it to rescue a
// lost wake-up: the select must still end (Dekker re-checks after parking; the token re-check after Waiting).

using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Unit.Selection;

/// <summary>
/// Each round races a single item (or room, or a cancellation) against a select on its way to waiting, on two threads
/// released together (<see cref="Racer"/>). No later event exists, so a wake-up lost in the race would leave the select
/// pending for good: every round must end, with the outcome the single event implies.
/// </summary>
[Collection(StressCollection.Name)]
public class SelectWakeupRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 3_000;

    /// <summary>Waits (bounded only against a hang) for a select whose outcome is decided but whose restart may still be scheduled.</summary>
    private static SelectResult Await(ValueTask<SelectResult> pending, int round)
    {
        Assert.True(SpinWait.SpinUntil(() => pending.IsCompleted, Eventually.HangTimeout), $"round {round}: the select never ended (a lost wake-up)");
        return pending.Result;
    }

    [Fact]
    public async Task A_ring_item_written_while_a_select_parks_is_never_missed()
    {
        (int rounds, int callerWins, int racerWins) = await Eventually.Completes(Racer.RunRounds(Rounds, (round, racer) =>
        {
            var idle = new RingBufferChannel<int>(1);
            var ring = new RingBufferChannel<int>(1);
            var selector = new ChannelSelector();
            selector.AddRead(idle.Reader);
            SelectReadClause<int> read = selector.AddRead(ring.Reader);

            ValueTask<SelectResult> pending = racer.Race(
                () => Assert.True(ring.Writer.TryWrite(round)),
                () => selector.SelectAsync(),
                p => p.IsCompleted);
            SelectResult result = Await(pending, round);
            Assert.True(result.Is(read));
            Assert.Equal(round, read.Item);
        }), "rounds");
        output.WriteLine($"{rounds} rounds: the select parked first {callerWins} times, the item came first {racerWins} times");
    }

    [Fact]
    public async Task Ring_room_made_while_a_select_parks_a_write_is_never_missed()
    {
        (int rounds, int callerWins, int racerWins) = await Eventually.Completes(Racer.RunRounds(Rounds, (round, racer) =>
        {
            var full = new RingBufferChannel<int>(1);
            var ring = new RingBufferChannel<int>(1);
            Assert.True(full.Writer.TryWrite(-1));
            Assert.True(ring.Writer.TryWrite(-1));
            var selector = new ChannelSelector();
            selector.AddWrite(full.Writer, -2);
            SelectWriteClause<int> write = selector.AddWrite(ring.Writer, round);

            ValueTask<SelectResult> pending = racer.Race(
                () => Assert.True(ring.Reader.TryRead(out _)),
                () => selector.SelectAsync(),
                p => p.IsCompleted);
            SelectResult result = Await(pending, round);
            Assert.True(result.Is(write));
            Assert.True(ring.Reader.TryRead(out int item));
            Assert.Equal(round, item);
            Assert.Equal(1, full.Reader.Count);
        }), "rounds");
        output.WriteLine($"{rounds} rounds: the select parked first {callerWins} times, the room came first {racerWins} times");
    }

    [Fact]
    public async Task A_rendezvous_writer_arriving_while_a_select_parks_is_met()
    {
        (int rounds, int callerWins, int racerWins) = await Eventually.Completes(Racer.RunRounds(Rounds, (round, racer) =>
        {
            var idle = new RendezvousChannel<int>();
            var channel = new RendezvousChannel<int>();
            var selector = new ChannelSelector();
            selector.AddRead(idle.Reader);
            SelectReadClause<int> read = selector.AddRead(channel.Reader);
            ValueTask write = default;
            bool written = false;

            (ValueTask<SelectResult> pending, bool writerFirst) = racer.Race(
                () =>
                {
                    write = channel.Writer.WriteAsync(round);
                    Volatile.Write(ref written, true);
                },
                () => (Pending: selector.SelectAsync(), First: Volatile.Read(ref written)),
                p => p.First);
            _ = writerFirst;
            SelectResult result = Await(pending, round);
            Assert.True(result.Is(read));
            Assert.Equal(round, read.Item);
            Assert.True(SpinWait.SpinUntil(() => write.IsCompleted, Eventually.HangTimeout));
            Assert.True(write.IsCompletedSuccessfully);
        }), "rounds");
        output.WriteLine($"{rounds} rounds: the select parked first {callerWins} times, the writer came first {racerWins} times");
    }

    [Fact]
    public async Task Two_selects_each_reading_and_writing_one_rendezvous_channel_parking_at_once_meet_each_other()
    {
        (int rounds, int callerWins, int racerWins) = await Eventually.Completes(Racer.RunRounds(Rounds, (round, racer) =>
        {
            var channel = new RendezvousChannel<int>();
            var first = new ChannelSelector();
            SelectReadClause<int> firstRead = first.AddRead(channel.Reader);
            first.AddWrite(channel.Writer, 1);
            var second = new ChannelSelector();
            SelectReadClause<int> secondRead = second.AddRead(channel.Reader);
            second.AddWrite(channel.Writer, 2);
            ValueTask<SelectResult> racing = default;

            // Both may pass (nothing parked yet) and then park: the second to park must meet the first, not park beside it.
            ValueTask<SelectResult> caller = racer.Race(() => racing = first.SelectAsync(), () => second.SelectAsync(), p => !p.IsCompleted);
            SelectResult one = Await(racing, round);
            SelectResult two = Await(caller, round);
            Assert.NotEqual(one.Clause.IsWrite, two.Clause.IsWrite);
            Assert.Equal(one.Clause.IsWrite ? 1 : 2, one.Clause.IsWrite ? secondRead.Item : firstRead.Item);
        }), "rounds");
        output.WriteLine($"{rounds} rounds: the caller's select parked {racerWins} times, met a parked one {callerWins} times");
    }

    [Fact]
    public async Task A_cancellation_racing_a_select_on_its_way_to_waiting_always_ends_it()
    {
        (int rounds, int callerWins, int racerWins) = await Eventually.Completes(Racer.RunRounds(Rounds, (round, racer) =>
        {
            var ring = new RingBufferChannel<int>(1);
            var channel = new RendezvousChannel<int>();
            var selector = new ChannelSelector();
            selector.AddRead(ring.Reader);
            selector.AddRead(channel.Reader);
            using var cts = new CancellationTokenSource();

            (ValueTask<SelectResult> pending, bool cancelFirst) = racer.Race(
                cts.Cancel,
                () => (Pending: selector.SelectAsync(cts.Token), First: cts.IsCancellationRequested),
                p => p.First);
            _ = cancelFirst;
            Assert.True(SpinWait.SpinUntil(() => pending.IsCompleted, Eventually.HangTimeout), $"round {round}: the canceled select never ended");
            Assert.True(pending.IsCanceled);
            // It left nothing behind: a plain writer finds no parked reader.
            Assert.False(channel.Writer.TryWrite(1));
        }), "rounds");
        output.WriteLine($"{rounds} rounds: the select parked first {callerWins} times, the cancellation came first {racerWins} times");
    }
}
