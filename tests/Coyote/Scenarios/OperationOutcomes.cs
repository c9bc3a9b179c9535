using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// How each of a fixed set of single operations ended: with an item (a read's result, or a write's accepted
/// item), canceled (by which token), or refused by the completion (with which exception). Each operation writes
/// only its own index, and the log is read only after every operation has finished.
/// </summary>
internal sealed class OperationOutcomes(string kind, int count)
{
    private readonly int?[] _items = new int?[count];
    private readonly CancellationToken?[] _canceledBy = new CancellationToken?[count];
    private readonly CancellationToken[] _tokens = new CancellationToken[count];
    private readonly Exception?[] _refusedWith = new Exception?[count];

    /// <summary>The items of the operations that succeeded: read, or accepted by the channel.</summary>
    public IEnumerable<int> Completed => _items.OfType<int>();

    /// <summary>The exceptions the completion refused operations with.</summary>
    public IEnumerable<Exception> Refusals => _refusedWith.OfType<Exception>();

    /// <summary>Operation <paramref name="index"/>: a ReadAsync with <paramref name="token"/>.</summary>
    public Task ReadAsync(int index, ChannelReader<int> reader, CancellationToken token) =>
        RecordAsync(index, async () => await reader.ReadAsync(token), token);

    /// <summary>Operation <paramref name="index"/>: a WriteAsync of <paramref name="item"/> with <paramref name="token"/>.</summary>
    public Task WriteAsync(int index, ChannelWriter<int> writer, int item, CancellationToken token) =>
        RecordAsync(
            index,
            async () =>
            {
                await writer.WriteAsync(item, token);
                return item;
            },
            token);

    private async Task RecordAsync(int index, Func<Task<int>> operation, CancellationToken token)
    {
        _tokens[index] = token;
        try
        {
            _items[index] = await operation();
        }
        catch (OperationCanceledException canceled) when (token.CanBeCanceled && canceled.CancellationToken == token)
        {
            _canceledBy[index] = canceled.CancellationToken;
        }
        catch (Exception refused) when (refused is ChannelClosedException or OperationCanceledException)
        {
            // Refused by the completion (an OperationCanceledException completion error is thrown as is).
            _refusedWith[index] = refused;
        }
    }

    /// <summary>Every operation ended exactly one way, and none was canceled unless it had a token that was.</summary>
    public void CheckEachEndedOnce()
    {
        for (int i = 0; i < _items.Length; i++)
        {
            int outcomes = (_items[i].HasValue ? 1 : 0) + (_canceledBy[i].HasValue ? 1 : 0) + (_refusedWith[i] is null ? 0 : 1);
            Oracle.Holds(outcomes == 1, $"{kind} #{i} ended {outcomes} ways at once.");
            Oracle.Holds(
                _canceledBy[i] is null || _tokens[i].IsCancellationRequested,
                $"{kind} #{i} ended canceled although its token was not.");
        }
    }
}
