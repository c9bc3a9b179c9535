// ChannelEventSource, the watchdog's event: a live channel with an operation parked past ChannelDiagnostics.StuckThreshold.

using System;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;

namespace Rendezvous.Channels.Diagnostics;

internal sealed partial class ChannelEventSource
{
    /// <summary>Event id of <see cref="ChannelStuck(string, string, int, int, long)"/>; part of the event source's contract with tools.</summary>
    internal const int ChannelStuckEventId = 3;

    /// <summary>Writes <paramref name="info"/> as a <see cref="ChannelStuckEventId"/> event, if anyone listens.</summary>
    [NonEvent]
    public void ChannelStuck(BlockedChannelInfo info)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            ChannelStuck(info.ChannelType.ToString(), info.CreationStackTrace, info.BlockedReaders, info.BlockedWriters,
                (long)(info.OldestWait ?? TimeSpan.Zero).TotalMilliseconds);
        }
    }

    /// <summary>The stuck-operation watchdog found a live channel with an operation parked longer than its threshold.</summary>
    /// <remarks>
    /// Written with <see cref="EventSource.WriteEventCore"/>, the typed path, for the reason the leak event is:
    /// EventSource has no <c>WriteEvent</c> overload for these types, and the <c>params</c> overload's EventPipe leg
    /// drops the event in a session with keyword mask 0 (a bare <c>--providers RendezvousChannel</c>). Payload
    /// layout, as the signature declares it: two null-terminated UTF-16 strings, two 32-bit integers, one 64-bit.
    /// </remarks>
    [Event(ChannelStuckEventId, Level = EventLevel.Warning,
        Message = "Stuck channel: a {0} has had an operation parked for {4} ms, with {2} blocked reader(s) and {3} blocked writer(s). It was created {1}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "The payload is two strings, two ints and a long, primitive types that EventSource writes without reflection.")]
    private unsafe void ChannelStuck(string channelType, string creationStackTrace, int blockedReaders, int blockedWriters, long oldestWaitMilliseconds)
    {
        // Pinned for the duration of the write, which copies the payload into the session's buffers.
        fixed (char* channelTypeChars = channelType)
        fixed (char* creationStackChars = creationStackTrace)
        {
            EventData* payload = stackalloc EventData[5];
            payload[0] = new EventData { DataPointer = (IntPtr)channelTypeChars, Size = (channelType.Length + 1) * sizeof(char) };
            payload[1] = new EventData { DataPointer = (IntPtr)creationStackChars, Size = (creationStackTrace.Length + 1) * sizeof(char) };
            payload[2] = new EventData { DataPointer = (IntPtr)(&blockedReaders), Size = sizeof(int) };
            payload[3] = new EventData { DataPointer = (IntPtr)(&blockedWriters), Size = sizeof(int) };
            payload[4] = new EventData { DataPointer = (IntPtr)(&oldestWaitMilliseconds), Size = sizeof(long) };
            WriteEventCore(ChannelStuckEventId, 5, payload);
        }
    }
}
