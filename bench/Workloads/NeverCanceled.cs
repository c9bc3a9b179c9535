using System.Threading;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// A cancelable token that is never canceled: operations given it must register (and unregister) a
/// cancellation callback whenever they wait, which <see cref="CancellationToken.None"/> lets them skip.
/// </summary>
internal static class NeverCanceled
{
    // Lives as long as the benchmark process, so nothing has to dispose it.
    private static readonly CancellationTokenSource s_source = new();

    public static CancellationToken Token => s_source.Token;
}
