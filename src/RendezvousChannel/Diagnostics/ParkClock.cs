// ParkClock: whether parked operations record when they parked, so that diagnostics can say how long the oldest waits.

using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// Decides whether <see cref="Parking.Waiter{T}.Arm"/> writes a park timestamp, the one cost the stuck-operation
/// watchdog and <see cref="ChannelDiagnostics.GetBlockedChannels"/> put on an operation: a
/// <see cref="System.Diagnostics.Stopwatch"/> read when an operation parks, nothing on the paths that do not park.
/// </summary>
/// <remarks>
/// Two gates, so that the switch-off case costs nothing at all: <see cref="s_possible"/> is a static readonly
/// field, which the JIT folds to a constant once this class is initialized, and which is false when the
/// configuration turned leak detection off at start-up (the package's targets do that in the application's
/// Release builds; the environment variable <c>0</c> does it anywhere): the timestamp is then dead code. Where
/// detection may be on, <see cref="s_anyTracked"/> (a plain static read) keeps processes that never track a
/// channel from paying for the clock. A channel tracked only because <see cref="ChannelDiagnostics.LeakDetectionEnabled"/>
/// was set in code while the configuration said off is listed with its counts, but its wait is unknown.
/// </remarks>
internal static class ParkClock
{
    /// <summary>False when the configuration turned detection off at start-up; fixed for the life of the process.</summary>
    private static readonly bool s_possible = ChannelDiagnostics.ResolveDefault(
        Environment.GetEnvironmentVariable(ChannelDiagnostics.EnvironmentVariableName),
        AppContext.TryGetSwitch(ChannelDiagnostics.AppContextSwitchName, out bool enabled) ? enabled : null,
        buildDefault: true);

    /// <summary>Set once, for good, when the first channel is tracked; read with a plain read (a stale false only leaves one wait unknown).</summary>
    private static bool s_anyTracked;

    /// <summary>Whether an operation that parks now records when it parked.</summary>
    internal static bool IsRecording
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_possible && s_anyTracked;
    }

    /// <summary>The registry's hook: a channel is tracked, so from now on parks are timed.</summary>
    internal static void OnChannelTracked()
    {
        if (!s_anyTracked)
        {
            Volatile.Write(ref s_anyTracked, true);
        }
    }
}
