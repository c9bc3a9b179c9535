// SelectRacing: a select whose token is canceled at a random moment now and then, shared by the select stress tests.

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Unit.Selection;

internal static class SelectRacing
{
    /// <summary>
    /// Starts a select and, once in <paramref name="oneIn"/> times, cancels its token after spinning up to
    /// <paramref name="maxSpin"/> iterations, racing whatever would complete it. Returns the outcome, or null if the
    /// cancellation won (then <paramref name="canceled"/> is incremented).
    /// </summary>
    public static async Task<SelectResult?> SelectRacingCancellationAsync(
        ChannelSelector selector, Random random, int oneIn, int maxSpin, StrongBox<int> canceled)
    {
        using var cts = new CancellationTokenSource();
        ValueTask<SelectResult> pending = selector.SelectAsync(cts.Token);
        if (random.Next(oneIn) == 0)
        {
            Thread.SpinWait(random.Next(maxSpin));
            cts.Cancel();
        }

        try
        {
            return await pending;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref canceled.Value);
            return null;
        }
    }
}
