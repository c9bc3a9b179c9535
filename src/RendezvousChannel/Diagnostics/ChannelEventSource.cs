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
    [Event(ChannelLeakedEventId, Level = EventLevel.Warning,
        Message = "Leaked channel: a {0} was garbage-collected without having been completed, with {2} blocked reader(s) and {3} blocked writer(s). It was created {1}")]
    private void ChannelLeaked(string channelType, string creationStackTrace, int blockedReaders, int blockedWriters) =>
        // The EventSourcePrimitive overload: no boxing, and safe under trimming, unlike the object[] one.
        WriteEvent(ChannelLeakedEventId, channelType, creationStackTrace, blockedReaders, blockedWriters);

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
