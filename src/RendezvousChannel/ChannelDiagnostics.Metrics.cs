// ChannelDiagnostics, metrics switch: registers channels for the "RendezvousChannel" meter without leak detection,
// so that a Release service (where the package's targets turn detection off) can still be charted.

using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Rendezvous.Channels.Diagnostics;

namespace Rendezvous.Channels;

public static partial class ChannelDiagnostics
{
    /// <summary>The AppContext switch that turns metrics on (<c>true</c>) or off (<c>false</c>).</summary>
    internal const string MetricsAppContextSwitchName = "RendezvousChannel.Metrics";

    /// <summary>The environment variable that turns metrics on (<c>1</c>, <c>true</c>) or off (<c>0</c>, <c>false</c>).</summary>
    internal const string MetricsEnvironmentVariableName = "RENDEZVOUSCHANNEL_METRICS";

    /// <summary>
    /// Whether channels created from now on are registered for the metrics even without leak detection. Read (once)
    /// by a channel constructor when detection is off, and by nothing else; starts as the configured default and
    /// changes only through <see cref="MetricsEnabled"/>.
    /// </summary>
    private static bool s_metricsEnabled = ResolveDefault(
        Environment.GetEnvironmentVariable(MetricsEnvironmentVariableName),
        AppContext.TryGetSwitch(MetricsAppContextSwitchName, out bool enabled) ? enabled : null,
        buildDefault: false);

    /// <summary>
    /// Whether channels created from now on are counted by the <see cref="MeterName"/> meter (a channel keeps the
    /// setting it was created with). Defaults to the environment variable <c>RENDEZVOUSCHANNEL_METRICS</c>
    /// (<c>1</c> or <c>0</c>) if set, else to the AppContext switch <c>RendezvousChannel.Metrics</c> if set (the
    /// package's build targets set it from the project property
    /// <c>&lt;RendezvousChannelMetrics&gt;true&lt;/RendezvousChannelMetrics&gt;</c>), else to off.
    /// </summary>
    /// <remarks>
    /// <para>Channels created while <see cref="LeakDetectionEnabled"/> is on are counted whatever this says: leak
    /// detection registers them too. This switch is for the case detection is off (an application's Release
    /// build): each channel is then registered without a stack capture and without a finalizer.</para>
    /// <para>Costs, on: one small object, one registry entry and one weak handle per channel created (about 120
    /// bytes and well under a microsecond); nothing per operation, and nothing more until a tool listens (the
    /// observable instruments walk the registry when collected). Off (with detection off too), nothing at all.
    /// Parked operations are not timed by metrics alone (<c>rendezvouschannel.channels.stuck</c> needs leak
    /// detection), and <see cref="GetBlockedChannels"/> and the watchdog, which name where a channel was created,
    /// list only channels that leak detection tracks.</para>
    /// <para>In an application trimmed or published with Native AOT with the switch set to <c>false</c> as a
    /// trimming feature switch (<c>&lt;RuntimeHostConfigurationOption Include="RendezvousChannel.Metrics"
    /// Value="false" Trim="true" /&gt;</c>, which the package's targets write for
    /// <c>&lt;RendezvousChannelMetrics&gt;false&lt;/RendezvousChannelMetrics&gt;</c>), this registration path is
    /// removed from the application: this property then stays <c>false</c> whatever is assigned to it.</para>
    /// </remarks>
    public static bool MetricsEnabled
    {
        get => IsMetricsSupported && Volatile.Read(ref s_metricsEnabled);
        set => Volatile.Write(ref s_metricsEnabled, value);
    }

    /// <summary>
    /// Whether the metrics-only registration is in the application at all. Without trimming, always: the switch,
    /// the environment variable and <see cref="MetricsEnabled"/> decide. When the trimmer or the Native AOT
    /// compiler is given the switch as a feature switch, it replaces this property with the switch's value, so
    /// that with the switch off the path to the lightweight registration is dead code and removed.
    /// </summary>
    [FeatureSwitchDefinition(MetricsAppContextSwitchName)]
    internal static bool IsMetricsSupported => true;
}
