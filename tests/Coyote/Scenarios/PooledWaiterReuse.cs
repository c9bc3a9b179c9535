using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A reader and a writer each issue three operations in a row on one channel, the first two with tokens that
/// a third task cancels at any moment. Each operation rents a pooled waiter that an earlier one returned, while
/// queue entries and cancellation callbacks of the earlier use may still be about: a stale completion must
/// never reach the new use. So an operation ends canceled only by its own token, one without a token never
/// does, none ends both ways, and exactly the accepted items are read. Whichever side finishes first
/// completes the channel, since cancellations can leave the other waiting for a partner that is done.
/// </summary>
internal static class PooledWaiterReuse
{
    private const int Operations = 3;

    public static Scenario Scenario { get; } = new(nameof(PooledWaiterReuse), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        CancellationTokenSource[] readTokens = [new(), new()], writeTokens = [new(), new()];
        var reads = new OperationLog(Operations);
        var writes = new OperationLog(Operations);
        List<int> readAfterwards = [];

        Task reader = Task.Run(async () =>
        {
            for (int i = 0; i < Operations; i++)
            {
                CancellationToken token = i < readTokens.Length ? readTokens[i].Token : default;
                await reads.RecordAsync(i, async () => await channel.Reader.ReadAsync(token), token);
            }

            // The writer may be parked with an item nobody will read: completing refuses it.
            channel.Writer.TryComplete();
        });
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < Operations; i++)
            {
                CancellationToken token = i < writeTokens.Length ? writeTokens[i].Token : default;
                int item = i + 1;
                await writes.RecordAsync(
                    i,
                    async () =>
                    {
                        await channel.Writer.WriteAsync(item, token);
                        return item;
                    },
                    token);
            }

            // The reader may be parked waiting for an item that cancellations used up: completing ends it.
            channel.Writer.TryComplete();
        });
        Task canceler = Task.Run(() =>
        {
            foreach (CancellationTokenSource source in readTokens.Concat(writeTokens))
            {
                ControlledCancellation.Cancel(source);
            }
        });

        await Participants.AllAsync(reader, writer, canceler);
        await Participants.ReadUntilClosedAsync(channel.Reader, readAfterwards);
        await channel.Reader.Completion;

        reads.CheckEachEndedOnce("read");
        writes.CheckEachEndedOnce("write");
        Oracle.DeliveredExactlyTheAccepted([.. reads.Completed, .. readAfterwards], writes.Completed);
        foreach (CancellationTokenSource source in readTokens.Concat(writeTokens))
        {
            source.Dispose();
        }
    }

    /// <summary>How each of a sequence of operations ended: with an item, canceled (by which token), or refused.</summary>
    private sealed class OperationLog(int count)
    {
        private readonly int?[] _items = new int?[count];
        private readonly CancellationToken?[] _canceledBy = new CancellationToken?[count];
        private readonly CancellationToken[] _tokens = new CancellationToken[count];
        private readonly bool[] _refused = new bool[count];

        public IEnumerable<int> Completed => _items.OfType<int>();

        public async Task RecordAsync(int index, Func<Task<int>> operation, CancellationToken token)
        {
            _tokens[index] = token;
            try
            {
                _items[index] = await operation();
            }
            catch (OperationCanceledException canceled)
            {
                _canceledBy[index] = canceled.CancellationToken;
            }
            catch (ChannelClosedException)
            {
                _refused[index] = true;
            }
        }

        public void CheckEachEndedOnce(string kind)
        {
            for (int i = 0; i < _items.Length; i++)
            {
                int outcomes = (_items[i].HasValue ? 1 : 0) + (_canceledBy[i].HasValue ? 1 : 0) + (_refused[i] ? 1 : 0);
                Oracle.Holds(outcomes == 1, $"{kind} #{i} ended {outcomes} ways at once.");
                Oracle.Holds(
                    _canceledBy[i] is not CancellationToken by || (_tokens[i].CanBeCanceled && by == _tokens[i]),
                    $"{kind} #{i} was canceled by a token that was not its own: a stale cancellation reached a reused waiter.");
            }
        }
    }
}
