// ChannelRegistration: a channel's place in the live-channel registry, created at its construction when metrics
// or leak detection is on; the lightweight form that metrics alone need (no stack capture, no finalizer), and the
// base of the leak tracker.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// A channel registered in <see cref="LiveChannelRegistry"/>: what the metrics read (its counts) and whether it is
/// still open. Created by <see cref="TryCreate"/> in the channel's constructor, as this class when only
/// <see cref="ChannelDiagnostics.MetricsEnabled"/> is on and as a <see cref="LeakTracker"/> (which adds the
/// creation stack and the leak report) when <see cref="ChannelDiagnostics.LeakDetectionEnabled"/> is on; not at
/// all when both are off.
/// </summary>
/// <remarks>
/// <para>The channel and its registration reference each other and the registry references the registration
/// only weakly, so the two become unreachable together and the registry never keeps a channel alive. Unlike a
/// leak tracker, this class has no finalizer: a collected channel simply drops out of the metrics.</para>
/// <para>The channels touch it only in their constructor and when they complete (<see cref="Disarm"/>); the
/// operation paths never see it.</para>
/// </remarks>
internal class ChannelRegistration
{
    /// <summary>
    /// The registered channel; never null. Strong: the pair lives and dies together, and a leak tracker's finalizer
    /// still finds the channel intact to read its counts.
    /// </summary>
    private readonly ILeakTrackable _channel;

    /// <summary>1 until the channel is completed, then 0 for good; the registry counts the channel only while it is 1.</summary>
    private int _armed = 1;

    /// <summary>
    /// Sets the channel; the caller registers the object once it is complete (see <see cref="Register"/>), so that
    /// a derived constructor's fields are set before the registry can read them.
    /// </summary>
    private protected ChannelRegistration(ILeakTrackable channel)
    {
        Debug.Assert(channel is not null);
        _channel = channel;
    }

    /// <summary>The registered channel, for the live-channel registry.</summary>
    internal ILeakTrackable Channel => _channel;

    /// <summary>Whether the channel is still open as far as this registration knows (not yet completed).</summary>
    internal bool IsArmed => Volatile.Read(ref _armed) != 0;

    /// <summary>
    /// The constructor's hook: a registration for <paramref name="channel"/> if leak detection or metrics are on,
    /// else null. Small enough to inline, so that with both off a channel pays two static reads and nothing else.
    /// Call it last in the constructor, once every field the counts read is set: a constructor that throws (an
    /// invalid capacity) must not leave behind a registration (or a leak report) of a channel nobody ever had.
    /// Each first test is a constant (true, unless a trimmer was told that switch is off: then false, and
    /// everything behind it is removed from the application). Leak detection implies registration: a tracked
    /// channel is counted by the metrics whether or not they were turned on.
    /// </summary>
    internal static ChannelRegistration? TryCreate(ILeakTrackable channel) =>
        ChannelDiagnostics.IsLeakDetectionSupported && ChannelDiagnostics.LeakDetectionEnabled ? LeakTracker.Create(channel)
        : ChannelDiagnostics.IsMetricsSupported && ChannelDiagnostics.MetricsEnabled ? CreateLightweight(channel)
        : null;

    /// <summary>
    /// Completion's hook: the channel was completed, so the registry stops counting it (and a leak tracker stops
    /// watching it). Idempotent.
    /// </summary>
    internal virtual void Disarm() => Volatile.Write(ref _armed, 0);

    /// <summary>Puts this registration in the registry: the last step of creating it.</summary>
    private protected void Register() => LiveChannelRegistry.Register(this);

    /// <summary>Off the inlined path: metrics only, one small object and one registry entry.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ChannelRegistration CreateLightweight(ILeakTrackable channel)
    {
        var registration = new ChannelRegistration(channel);
        registration.Register();
        return registration;
    }
}
