using System.Collections.Generic;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// The readers and writers the scenarios are made of, one way of using the channel each. Each records what
/// it did in lists of its own, read only after it has finished, so the scenarios share no mutable state.
/// </summary>
internal static class Participants
{
    /// <summary>Writes each item, first by TryWrite then, if that fails, by WriteAsync; records the accepted ones.</summary>
    public static async Task WriteEachAsync(ChannelWriter<int> writer, IEnumerable<int> items, List<int> accepted)
    {
        foreach (int item in items)
        {
            try
            {
                if (!writer.TryWrite(item))
                {
                    await writer.WriteAsync(item);
                }

                accepted.Add(item);
            }
            catch (ChannelClosedException)
            {
                // The channel completed first: this item was refused and must never be read.
            }
        }
    }

    /// <summary>Writes each item by WriteAsync alone; records the accepted ones.</summary>
    public static async Task WriteAsyncEachAsync(ChannelWriter<int> writer, IEnumerable<int> items, List<int> accepted)
    {
        foreach (int item in items)
        {
            try
            {
                await writer.WriteAsync(item);
                accepted.Add(item);
            }
            catch (ChannelClosedException)
            {
                // The channel completed first: this item was refused and must never be read.
            }
        }
    }

    /// <summary>Writes each item by WaitToWriteAsync and TryWrite only, the way a non-blocking producer does.</summary>
    public static async Task WaitToWriteEachAsync(ChannelWriter<int> writer, IEnumerable<int> items, List<int> accepted)
    {
        foreach (int item in items)
        {
            while (!writer.TryWrite(item))
            {
                if (!await writer.WaitToWriteAsync())
                {
                    // Completed: nothing more can be written.
                    return;
                }
            }

            accepted.Add(item);
        }
    }

    /// <summary>Reads by TryRead, else ReadAsync, until the channel is completed (and, for a buffer, drained).</summary>
    public static async Task ReadUntilClosedAsync(ChannelReader<int> reader, List<int> received)
    {
        while (true)
        {
            try
            {
                received.Add(reader.TryRead(out int item) ? item : await reader.ReadAsync());
            }
            catch (ChannelClosedException)
            {
                return;
            }
        }
    }

    /// <summary>Awaits each task in turn (not Task.WhenAll, whose span overload, chosen by C# for arguments listed inline, Coyote does not intercept).</summary>
    public static async Task AllAsync(params Task[] tasks)
    {
        foreach (Task task in tasks)
        {
            await task;
        }
    }

    /// <summary>Reads by WaitToReadAsync and TryRead only (what ReadAllAsync does) until WaitToReadAsync says false.</summary>
    public static async Task WaitToReadUntilDoneAsync(ChannelReader<int> reader, List<int> received)
    {
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out int item))
            {
                received.Add(item);
            }
        }
    }
}
