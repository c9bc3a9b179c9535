// BlockedChannelInfo: a live channel with operations parked on it, as listed by ChannelDiagnostics.GetBlockedChannels
// and reported by the stuck-operation watchdog (ChannelDiagnostics.StuckChannelDetected).

using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rendezvous.Channels;

/// <summary>
/// A channel, still alive and not completed, with operations parked on it: what it is, where it was created,
/// who is blocked on it and how long the oldest of them has waited. The .NET counterpart of a goroutine dump's
/// <c>chan receive</c> lines: an awaiting method is not a thread, so no thread dump shows it.
/// </summary>
/// <remarks>A snapshot: the counts were read one after the other while the channel kept running.</remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed class BlockedChannelInfo
{
    internal BlockedChannelInfo(Type channelType, string creationStackTrace, int blockedReaders, int blockedWriters, TimeSpan? oldestWait)
    {
        Debug.Assert(channelType is not null && creationStackTrace is not null);
        Debug.Assert(blockedReaders >= 0 && blockedWriters >= 0, "Counts of parked operations are never negative.");
        ChannelType = channelType;
        CreationStackTrace = creationStackTrace;
        BlockedReaders = blockedReaders;
        BlockedWriters = blockedWriters;
        OldestWait = oldestWait;
    }

    /// <summary>The type of the channel, for example <c>typeof(RendezvousChannel&lt;Order&gt;)</c>.</summary>
    public Type ChannelType { get; }

    /// <summary>The stack trace of the code that created the channel, starting at the caller of its constructor.</summary>
    public string CreationStackTrace { get; }

    /// <summary>Readers parked: in <c>ReadAsync</c> or <c>WaitToReadAsync</c>, including an <c>await foreach</c> over <c>ReadAllAsync</c>.</summary>
    public int BlockedReaders { get; }

    /// <summary>Writers parked: in <c>WriteAsync</c> or <c>WaitToWriteAsync</c>.</summary>
    public int BlockedWriters { get; }

    /// <summary>
    /// How long the longest-parked of those operations has waited, or null if unknown: park times are recorded
    /// unless the configuration turned leak detection off at start-up (see <see cref="ChannelDiagnostics.StuckThreshold"/>).
    /// </summary>
    public TimeSpan? OldestWait { get; }

    /// <summary>One readable paragraph: the channel, who is blocked on it and for how long, and where it was created.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(256 + CreationStackTrace.Length);
        text.Append(ChannelLeakReport.FormatTypeName(ChannelType)).Append(": ");
        AppendCount(text, BlockedReaders, "reader", "readers").Append(" and ");
        AppendCount(text, BlockedWriters, "writer", "writers").Append(" blocked, the oldest for ");
        if (OldestWait is TimeSpan wait)
        {
            text.Append(FormatSeconds(wait));
        }
        else
        {
            text.Append("an unknown time");
        }

        text.Append(". If nothing more will be written, complete it (channel.Writer.Complete()) so that they finish. It was created")
            .Append(Environment.NewLine)
            .Append(CreationStackTrace.Length == 0 ? "   at (unknown)" : CreationStackTrace.TrimEnd());
        return text.ToString();
    }

    /// <summary>A duration as the reports print it: seconds with one decimal, <c>31.2 s</c>.</summary>
    internal static string FormatSeconds(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private string DebuggerDisplay =>
        $"{ChannelLeakReport.FormatTypeName(ChannelType)}: BlockedReaders = {BlockedReaders}, BlockedWriters = {BlockedWriters}, OldestWait = {(OldestWait is TimeSpan wait ? FormatSeconds(wait) : "unknown")}";

    private static StringBuilder AppendCount(StringBuilder text, int count, string one, string many) =>
        text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(count == 1 ? one : many);
}
