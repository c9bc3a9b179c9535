namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// The writing and reading sides of a steady stream of items 0, 1, ..., n - 1, one per way of calling a channel,
/// each on the thread pool. A reader throws if an item comes out of order; none asserts, so that a measurement
/// wraps them without allocating for the check.
/// </summary>
internal static class ChannelWorkloads
{
    public static Task WriteAsyncEach(ChannelWriter<int> writer, int n, CancellationToken token = default) => Task.Run(async () =>
    {
        for (int i = 0; i < n; i++)
        {
            await writer.WriteAsync(i, token);
        }
    }, CancellationToken.None);

    /// <summary>TryWrite, waiting with WaitToWriteAsync whenever there is no room.</summary>
    public static Task TryWriteEach(ChannelWriter<int> writer, int n, CancellationToken token = default) => Task.Run(async () =>
    {
        for (int i = 0; i < n; i++)
        {
            while (!writer.TryWrite(i))
            {
                if (!await writer.WaitToWriteAsync(token))
                {
                    throw new InvalidOperationException("completed");
                }
            }
        }
    }, CancellationToken.None);

    public static Task ReadAsyncEach(ChannelReader<int> reader, int n, CancellationToken token = default) => Task.Run(async () =>
    {
        for (int i = 0; i < n; i++)
        {
            Check(await reader.ReadAsync(token), i);
        }
    }, CancellationToken.None);

    /// <summary>TryRead, waiting with WaitToReadAsync whenever there is nothing to read.</summary>
    public static Task TryReadEach(ChannelReader<int> reader, int n, CancellationToken token = default) => Task.Run(async () =>
    {
        int expected = 0;
        while (expected < n && await reader.WaitToReadAsync(token))
        {
            while (expected < n && reader.TryRead(out int item))
            {
                Check(item, expected++);
            }
        }
    }, CancellationToken.None);

    /// <summary>One ReadAllAsync enumerator (a fixed cost, not per item), left after n items without completing.</summary>
    public static Task ReadAllEach(ChannelReader<int> reader, int n) => Task.Run(async () =>
    {
        int expected = 0;
        await foreach (int item in reader.ReadAllAsync())
        {
            Check(item, expected++);
            if (expected == n)
            {
                break;
            }
        }
    }, CancellationToken.None);

    private static void Check(int item, int expected)
    {
        if (item != expected)
        {
            throw new InvalidOperationException($"read {item}, expected {expected}");
        }
    }
}
