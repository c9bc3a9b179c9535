// ChannelDiagnostics: the switch and the event of leak detection ("mandatory completion, enforced").
//
// A channel that is never completed is a bug that .NET hides: in Go a goroutine blocked forever on `<-ch` stays
// visible (in a goroutine dump, and as the leak it is); in .NET the method awaiting the channel is an object
// referenced only by the channel, so both are silently garbage-collected and the method's remaining code,
// finally blocks included, never runs. Leak detection turns that silence into a report: see
// Diagnostics/LeakTracker.cs for the mechanism and README.md ("Leak detection") for the user's view.

using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Rendezvous.Channels.Diagnostics;

namespace Rendezvous.Channels;

/// <summary>
/// Reports channels that are garbage-collected without having been completed: the .NET form of a goroutine
/// blocked forever on a channel nobody closes.
/// </summary>
/// <remarks>
/// <para>While <see cref="LeakDetectionEnabled"/> is on, each channel created (<see cref="RendezvousChannel{T}"/>
/// and <see cref="RingBufferChannel{T}"/>) records where it was created. If it becomes unreachable without
/// its writer having been completed, its report (<see cref="ChannelLeakReport"/>) is raised through
/// <see cref="LeakDetected"/> on the finalizer thread, and written to the <c>RendezvousChannel</c>
/// <see cref="System.Diagnostics.Tracing.EventSource"/>; with no subscriber it is also written to
/// <see cref="Trace"/> as a warning.</para>
/// <para>Detection follows the configuration of the application, not of this library (which a package user
/// always gets as a Release build): the package's <c>buildTransitive/RendezvousChannel.targets</c> sets the
/// AppContext switch <c>RendezvousChannel.LeakDetection</c> to <c>true</c> in the application's Debug builds
/// and in test projects, and to <c>false</c> otherwise; the project property
/// <c>&lt;RendezvousChannelLeakDetection&gt;true|false&lt;/RendezvousChannelLeakDetection&gt;</c> overrides that
/// choice. The switch lands in the application's <c>runtimeconfig.json</c>, so <c>dotnet run</c>,
/// <c>dotnet test</c> and published apps all see it. With no switch set (a project reference, or an
/// application built without the package's targets), detection is off. At run time the environment
/// variable <c>RENDEZVOUSCHANNEL_LEAKDETECTION</c> (<c>1</c> or <c>0</c>) overrides the switch, and this
/// property overrides both.</para>
/// <para>Off, it costs nothing: no object is allocated and no stack is captured per channel, and the
/// channel operations never look at it. On, creating a channel costs a stack capture (methods only, no file
/// and line) and one small finalizable object: about 3 KB and some microseconds at a shallow call depth, plus
/// about 240 bytes per frame deeper (tests/LeakDetectionCost measures it), which is why it is meant for tests
/// and Debug builds.</para>
/// </remarks>
public static partial class ChannelDiagnostics
{
    /// <summary>The AppContext switch that turns detection on (<c>true</c>) or off (<c>false</c>).</summary>
    internal const string AppContextSwitchName = "RendezvousChannel.LeakDetection";

    /// <summary>The environment variable that turns detection on (<c>1</c>, <c>true</c>) or off (<c>0</c>, <c>false</c>).</summary>
    internal const string EnvironmentVariableName = "RENDEZVOUSCHANNEL_LEAKDETECTION";

    /// <summary>
    /// The setting when neither the environment variable nor the AppContext switch says anything: off, whatever
    /// the configuration this library was built in, because off must cost nothing and the package is a Release
    /// build. Applications get "on in Debug and in tests" from the switch the package's build targets set.
    /// </summary>
    internal const bool BuildDefault = false;

    /// <summary>
    /// Whether channels created from now on are tracked. Read (once) by every channel constructor and by
    /// nothing else; starts as the configured default and changes only through <see cref="LeakDetectionEnabled"/>.
    /// </summary>
    private static bool s_leakDetectionEnabled = ResolveDefault(
        Environment.GetEnvironmentVariable(EnvironmentVariableName),
        AppContext.TryGetSwitch(AppContextSwitchName, out bool enabled) ? enabled : null,
        BuildDefault);

    /// <summary>
    /// Whether leak detection is on for channels created from now on (a channel keeps the setting it was
    /// created with). Defaults to the environment variable or AppContext switch if set (the package's build
    /// targets set the switch from the application's configuration), else to off.
    /// </summary>
    /// <remarks>
    /// In an application trimmed or published with Native AOT with the switch set to <c>false</c> as a trimming
    /// feature switch (<c>&lt;RuntimeHostConfigurationOption Include="RendezvousChannel.LeakDetection"
    /// Value="false" Trim="true" /&gt;</c>), the detector is removed from the application: this property then
    /// stays <c>false</c> whatever is assigned to it.
    /// </remarks>
    public static bool LeakDetectionEnabled
    {
        get => IsLeakDetectionSupported && Volatile.Read(ref s_leakDetectionEnabled);
        set => Volatile.Write(ref s_leakDetectionEnabled, value);
    }

    /// <summary>
    /// Whether the detector is in the application at all. Without trimming, always: the switch, the environment
    /// variable and <see cref="LeakDetectionEnabled"/> decide. When the trimmer or the Native AOT compiler is
    /// given the switch as a feature switch, it replaces this property with the switch's value, so that with
    /// the switch off every path to <see cref="LeakTracker"/> (and through it to the event source and the stack
    /// capture) is dead code and removed.
    /// </summary>
    [FeatureSwitchDefinition(AppContextSwitchName)]
    internal static bool IsLeakDetectionSupported => true;

    /// <summary>
    /// Raised, on the finalizer thread, for each tracked channel that was garbage-collected without having
    /// been completed. Handlers must be quick and must not block (they hold up every finalizer in the
    /// process); an exception a handler throws is caught and traced, and the other handlers still run.
    /// </summary>
    public static event Action<ChannelLeakReport>? LeakDetected;

    /// <summary>
    /// The default setting: the environment variable if it says on or off, else the AppContext switch if it
    /// is set, else <paramref name="buildDefault"/> (<see cref="BuildDefault"/>: off). The environment variable
    /// wins because, as with the runtime's own <c>DOTNET_*</c> settings, whoever runs the program has the last
    /// word over its configuration file.
    /// </summary>
    internal static bool ResolveDefault(string? environmentValue, bool? appContextSwitch, bool buildDefault)
    {
        string? value = environmentValue?.Trim();
        if (value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value == "0" || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return appContextSwitch ?? buildDefault;
    }

    /// <summary>
    /// Delivers <paramref name="report"/>: to the event source always (so that dotnet-trace and dotnet-monitor
    /// see it whether or not the program listens), then to each <see cref="LeakDetected"/> handler, or to
    /// <see cref="Trace"/> if there is none, so that a leak is never reported to nobody. Called on the
    /// finalizer thread; takes no lock of its own and never lets a handler's exception escape.
    /// </summary>
    internal static void Publish(ChannelLeakReport report)
    {
        Debug.Assert(report is not null);
        ChannelEventSource.Log.ChannelLeaked(report);
        ChannelMetrics.OnLeakReported();

        Action<ChannelLeakReport>? handlers = LeakDetected;
        if (handlers is null)
        {
            Trace.TraceWarning(report.ToString());
            return;
        }

        InvokeEach(handlers, report, ReportHandlerFailure);
    }

    /// <summary>
    /// Calls each of <paramref name="handlers"/> with <paramref name="report"/>, in order, handing any exception one
    /// throws to <paramref name="onHandlerFailure"/> and going on: a diagnostic is delivered from a finalizer or a
    /// timer callback, where an escaping exception would kill the process, which a diagnostic must never do.
    /// </summary>
    private static void InvokeEach<TReport>(Action<TReport> handlers, TReport report, Action<Exception> onHandlerFailure)
    {
        foreach (Action<TReport> handler in Delegate.EnumerateInvocationList(handlers))
        {
            try
            {
                handler(report);
            }
#pragma warning disable CA1031 // Any exception: see the summary.
            catch (Exception error)
#pragma warning restore CA1031
            {
                onHandlerFailure(error);
            }
        }
    }

    /// <summary>Makes a failing <see cref="LeakDetected"/> handler visible without letting it crash the process.</summary>
    private static void ReportHandlerFailure(Exception error)
    {
        string message = $"A {nameof(ChannelDiagnostics)}.{nameof(LeakDetected)} handler threw; the exception was ignored: {error}";
        ChannelEventSource.Log.LeakHandlerFailed(message);
        Trace.TraceError(message);
    }
}
