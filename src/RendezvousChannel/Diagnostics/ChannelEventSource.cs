using System;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;

namespace Rendezvous.Channels.Diagnostics;

/// <summary>
/// The <c>RendezvousChannel</c> event source: leak reports for out-of-process tools
/// (<c>dotnet-trace collect --providers RendezvousChannel</c>, dotnet-monitor, PerfView), which see them
/// even when the program itself does not listen.
/// </summary>
/// <remarks>
/// Created on first use, that is on the first leak report: a program that leaks nothing, or that runs with
/// detection off, never creates it. EventPipe enables providers that register after a session starts, so a
/// trace started earlier still sees it.
/// </remarks>
[EventSource(Name = "RendezvousChannel")]
internal sealed partial class ChannelEventSource : EventSource
{
    /// <summary>Event id of <see cref="ChannelLeaked(string, string, int, int)"/>; part of the event source's contract with tools.</summary>
    internal const int ChannelLeakedEventId = 1;

    /// <summary>Event id of <see cref="LeakHandlerFailed"/>; part of the event source's contract with tools.</summary>
    internal const int LeakHandlerFailedEventId = 2;

    /// <summary>The only instance: an event source is identified by its name, so there is one per process.</summary>
    public static readonly ChannelEventSource Log = new();

    private ChannelEventSource()
    {
    }

    /// <summary>Writes <paramref name="report"/> as a <see cref="ChannelLeakedEventId"/> event, if anyone listens.</summary>
    [NonEvent]
    public void ChannelLeaked(ChannelLeakReport report)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            ChannelLeaked(report.ChannelType.ToString(), report.CreationStackTrace, report.BlockedReaders, report.BlockedWriters);
        }
    }

    /// <summary>A channel was garbage-collected without having been completed.</summary>
    /// <remarks>
    /// Written with <see cref="EventSource.WriteEventCore"/>, the typed path, on purpose. EventSource has no
    /// <c>WriteEvent</c> overload for (string, string, int, int), so a plain call binds to the
    /// <c>params</c> (object or EventSourcePrimitive) overload, whose EventPipe/ETW leg filters the event once
    /// more against the session's keyword mask: the event's descriptor carries EventSource's reserved session
    /// keywords (0xF00000000000, Session0-3) even though it declares none, so a session whose mask is 0 drops
    /// it. That is exactly the session <c>dotnet-trace collect --providers RendezvousChannel</c> starts (a bare
    /// provider name means keywords 0). The typed path leaves filtering to the session, which takes the event
    /// at any mask. Payload layout, as the event's signature declares it: two null-terminated UTF-16 strings,
    /// then two 32-bit integers.
    /// </remarks>
    [Event(ChannelLeakedEventId, Level = EventLevel.Warning,
        Message = "Leaked channel: a {0} was garbage-collected without having been completed, with {2} blocked reader(s) and {3} blocked writer(s). It was created {1}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "The payload is two strings and two ints, primitive types that EventSource writes without reflection.")]
    private unsafe void ChannelLeaked(string channelType, string creationStackTrace, int blockedReaders, int blockedWriters)
    {
        // Pinned for the duration of the write, which copies the payload into the session's buffers.
        fixed (char* channelTypeChars = channelType)
        fixed (char* creationStackChars = creationStackTrace)
        {
            EventData* payload = stackalloc EventData[4];
            payload[0] = new EventData { DataPointer = (IntPtr)channelTypeChars, Size = (channelType.Length + 1) * sizeof(char) };
            payload[1] = new EventData { DataPointer = (IntPtr)creationStackChars, Size = (creationStackTrace.Length + 1) * sizeof(char) };
            payload[2] = new EventData { DataPointer = (IntPtr)(&blockedReaders), Size = sizeof(int) };
            payload[3] = new EventData { DataPointer = (IntPtr)(&blockedWriters), Size = sizeof(int) };
            WriteEventCore(ChannelLeakedEventId, 4, payload);
        }
    }

    /// <summary>A <see cref="ChannelDiagnostics.LeakDetected"/> handler threw; the exception was swallowed so the finalizer survives.</summary>
    [Event(LeakHandlerFailedEventId, Level = EventLevel.Error, Message = "{0}")]
    public void LeakHandlerFailed(string message)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All))
        {
            WriteEvent(LeakHandlerFailedEventId, message);
        }
    }
}
