using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// How each of a fixed set of single reads or writes ended: with an item (a read's result, or a write's accepted
/// item) or refused by the completion (with which exception). Each operation writes only its own index, and the
/// log is read only after every operation has finished.
/// </summary>
internal sealed class OperationOutcomes(string kind, int count)
{
    private readonly int?[] _items = new int?[count];
    private readonly Exception?[] _refusedWith = new Exception?[count];

    /// <summary>The items of the operations that succeeded: read, or accepted by the channel.</summary>
    public IEnumerable<int> Completed => _items.OfType<int>();

    /// <summary>The exceptions the completion refused operations with.</summary>
    public IEnumerable<Exception> Refusals => _refusedWith.OfType<Exception>();

    /// <summary>Operation <paramref name="index"/>: a ReadAsync.</summary>
    public async Task ReadAsync(int index, ChannelReader<int> reader)
    {
        try
        {
            _items[index] = await reader.ReadAsync();
        }
        catch (Exception refused) when (refused is ChannelClosedException or OperationCanceledException)
        {
            // Refused by the completion (an OperationCanceledException completion error is thrown as is).
            _refusedWith[index] = refused;
        }
    }

    /// <summary>Operation <paramref name="index"/>: a WriteAsync of <paramref name="item"/>.</summary>
    public async Task WriteAsync(int index, ChannelWriter<int> writer, int item)
    {
        try
        {
            await writer.WriteAsync(item);
            _items[index] = item;
        }
        catch (Exception refused) when (refused is ChannelClosedException or OperationCanceledException)
        {
            _refusedWith[index] = refused;
        }
    }

    /// <summary>Every operation ended, and exactly one way: with an item or refused.</summary>
    public void CheckEachEndedOnce()
    {
        for (int i = 0; i < _items.Length; i++)
        {
            int outcomes = (_items[i].HasValue ? 1 : 0) + (_refusedWith[i] is null ? 0 : 1);
            Oracle.Holds(outcomes == 1, $"{kind} #{i} ended {outcomes} ways.");
        }
    }
}
