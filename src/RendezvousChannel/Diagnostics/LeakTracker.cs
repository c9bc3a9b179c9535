using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// Reports its channel if the channel is garbage-collected without having been completed. One per
/// channel created while <see cref="ChannelDiagnostics.LeakDetectionEnabled"/> is on; none otherwise.
/// </summary>
/// <remarks>
/// <para>Mechanism: the channel and its tracker reference each other and nothing else references the tracker,
/// so the two become unreachable together. Completing the channel disarms the tracker and suppresses its
/// finalizer; if instead the pair is collected while armed, the finalizer runs. The channel, being referenced
/// by a finalizable object, is still intact at that point (only the tracker has a finalizer, so nothing in the
/// channel has been finalized), which is what lets the finalizer count the operations still parked on it.</para>
/// <para>This only works because an abandoned channel is collectable: its waiter pools and queues are per
/// channel, not static; a parked waiter is referenced only by its channel's queue (and by the
/// <see cref="CancellationTokenSource"/> it registered with, if any, which rightly keeps it alive while it can
/// still be canceled); and the awaiting method is referenced only by its waiter. Neither the waiter nor its
/// queue references the channel, so a live token source keeps a parked operation and its awaiting code alive
/// but keeps the channel alive only if that code references the channel (LeakDetectionCancellationTests pins
/// both cases). The unit tests check it.</para>
/// <para>The channels touch the tracker only in their constructor (<see cref="ChannelRegistration.TryCreate"/>)
/// and when they complete (<see cref="Disarm"/>): the operation paths never see it. What it adds to the
/// lightweight <see cref="ChannelRegistration"/> that metrics alone use: the creation stack and the finalizer.</para>
/// </remarks>
internal sealed class LeakTracker : ChannelRegistration
{
    /// <summary>This library's simple assembly name, to tell its own stack frames from the caller's.</summary>
    private static readonly string s_libraryName = typeof(LeakTracker).Assembly.GetName().Name ?? string.Empty;

    /// <summary>
    /// Where the channel was created: methods and offsets only, turned into text only if the channel is
    /// reported (formatting costs as much again as capturing, and most channels are completed). Without file
    /// and line: resolving those through the symbol files at capture time cost 2 to 3 times the time and the
    /// bytes of the rest of detection (tests/LeakDetectionCost), for every channel, reported or not.
    /// </summary>
    private readonly StackTrace _creationStack;

    private LeakTracker(ILeakTrackable channel, StackTrace creationStack)
        : base(channel)
    {
        Debug.Assert(creationStack is not null);
        _creationStack = creationStack;
        // Complete now: the live-channel registry (snapshot, watchdog, metrics) may read it from here on.
        Register();
    }

    /// <summary>Finalizer: reports the channel, unless it was completed (then this never runs: see <see cref="Disarm"/>).</summary>
    ~LeakTracker()
    {
        if (!IsArmed)
        {
            return;
        }

        try
        {
            ChannelDiagnostics.Publish(CreateReport());
        }
#pragma warning disable CA1031 // Any exception: one escaping a finalizer terminates the process, and a diagnostic must never do that.
        catch (Exception)
#pragma warning restore CA1031
        {
            // Nowhere left to report to: Publish has already caught and reported any handler's exception, so
            // this is the event source or a trace listener failing. Dropping the report is the lesser evil.
        }
    }

    /// <summary>
    /// Completion's hook: the channel was completed, so it is not a leak. Idempotent. Suppressing the
    /// finalizer also makes a completed channel as cheap to collect as an untracked one.
    /// </summary>
    internal override void Disarm()
    {
        base.Disarm();
#pragma warning disable CA1816 // Not a Dispose: completion is this object's end of life, and a disarmed finalizer has nothing to do.
        GC.SuppressFinalize(this);
#pragma warning restore CA1816
    }

    /// <summary>
    /// The creation stack as text, starting at the first frame outside this library: the frames of the
    /// channel's constructor and of this tracker say nothing about where the user created the channel.
    /// Skipping by assembly rather than by a fixed count stays right whatever the JIT inlines. A frame's
    /// assembly is read through <see cref="DiagnosticMethodInfo"/>, which, unlike <see cref="StackFrame.GetMethod"/>,
    /// needs no reflection metadata and so stays right under trimming and Native AOT (where it may know no
    /// assembly at all: then no frame is skipped, which shows too much rather than too little).
    /// </summary>
    internal static string FormatCreationStack(StackTrace stack)
    {
        StackFrame[] frames = stack.GetFrames();
        int first = 0;
        while (first < frames.Length - 1 && IsLibraryFrame(frames[first]))
        {
            first++;
        }

        return new StackTrace(new ArraySegment<StackFrame>(frames, first, frames.Length - first)).ToString();
    }

    /// <summary>
    /// Whether <paramref name="frame"/> runs code of this library. Compared by simple name: the runtime gives a
    /// frame's assembly as a full display name, Native AOT as the simple name alone.
    /// </summary>
    private static bool IsLibraryFrame(StackFrame frame)
    {
        string? assembly = DiagnosticMethodInfo.Create(frame)?.DeclaringAssemblyName;
        if (assembly is null)
        {
            return false;
        }

        int comma = assembly.IndexOf(',', StringComparison.Ordinal);
        ReadOnlySpan<char> simpleName = comma < 0 ? assembly : assembly.AsSpan(0, comma);
        return simpleName.SequenceEqual(s_libraryName);
    }

    /// <summary>
    /// <see cref="ChannelRegistration.TryCreate"/>'s path when detection is on; off the inlined path: the capture
    /// is large, and only a tracked channel needs it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static LeakTracker Create(ILeakTrackable channel) =>
        new(channel, new StackTrace(skipFrames: 0, fNeedFileInfo: false));

    /// <summary>Reads the report off the channel, which is still intact but unreachable, so its counts are final.</summary>
    private ChannelLeakReport CreateReport() =>
        new(Channel.GetType(), FormatCreationStack(_creationStack), Channel.BlockedReaders, Channel.BlockedWriters);

    /// <summary>Where the channel was created, for the live-channel registry (which formats it at most once).</summary>
    internal StackTrace CreationStack => _creationStack;
}
