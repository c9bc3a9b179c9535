using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// WaitTo calls with a token that a scenario cancels. Each awaits its ValueTask in place: Coyote's rewriter
/// emits invalid IL for a method that hands a channel's ValueTask on (to a field, an argument or a lambda's result).
/// </summary>
internal static class CancelableWaits
{
    /// <summary>
    /// WaitToWriteAsync with <paramref name="source"/>'s token. It must end (Coyote reports one that never does as a
    /// deadlock), and only in one of the ways it may: an answer (true, or false once the channel is completed) or
    /// canceled by its own token; any other exception fails the scenario.
    /// </summary>
    internal static async Task WaitToWriteAsync(ChannelWriter<int> writer, CancellationTokenSource source)
    {
        try
        {
            await writer.WaitToWriteAsync(source.Token);
        }
        catch (OperationCanceledException canceled) when (canceled.CancellationToken == source.Token)
        {
            // Canceled by its own token: one of the ways it may end.
        }
    }

    /// <summary>WaitToReadAsync with <paramref name="source"/>'s token, judged as <see cref="WaitToWriteAsync"/> is.</summary>
    internal static async Task WaitToReadAsync(ChannelReader<int> reader, CancellationTokenSource source)
    {
        try
        {
            await reader.WaitToReadAsync(source.Token);
        }
        catch (OperationCanceledException canceled) when (canceled.CancellationToken == source.Token)
        {
            // Canceled by its own token: one of the ways it may end.
        }
    }
}
