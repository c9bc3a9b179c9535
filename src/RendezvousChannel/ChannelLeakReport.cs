// ChannelLeakReport: what leak detection tells a program about a channel collected without having been completed.

using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rendezvous.Channels;

/// <summary>
/// A channel that was garbage-collected without having been completed, as raised by
/// <see cref="ChannelDiagnostics.LeakDetected"/>: what it was, where it was created, and how many operations
/// were still blocked on it (operations that can never finish, and whose awaiting methods were collected
/// with the channel without running the rest of their code).
/// </summary>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public sealed class ChannelLeakReport
{
    internal ChannelLeakReport(Type channelType, string creationStackTrace, int blockedReaders, int blockedWriters)
    {
        Debug.Assert(channelType is not null && creationStackTrace is not null);
        Debug.Assert(blockedReaders >= 0 && blockedWriters >= 0, "Counts of parked operations are never negative.");
        ChannelType = channelType;
        CreationStackTrace = creationStackTrace;
        BlockedReaders = blockedReaders;
        BlockedWriters = blockedWriters;
    }

    /// <summary>The type of the channel, for example <c>typeof(RendezvousChannel&lt;int&gt;)</c>.</summary>
    public Type ChannelType { get; }

    /// <summary>
    /// The stack trace of the code that created the channel, starting at the caller of its constructor: one
    /// line per method, without file names and line numbers (capturing those for every channel would cost
    /// several times what detection costs without them).
    /// </summary>
    public string CreationStackTrace { get; }

    /// <summary>
    /// Readers parked when the channel was collected: in <c>ReadAsync</c> or <c>WaitToReadAsync</c>, including
    /// an <c>await foreach</c> over <c>ReadAllAsync</c>.
    /// </summary>
    public int BlockedReaders { get; }

    /// <summary>Writers parked when the channel was collected: in <c>WriteAsync</c> or <c>WaitToWriteAsync</c>.</summary>
    public int BlockedWriters { get; }

    /// <summary>One readable paragraph: which channel leaked, who was blocked on it, and where it was created.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(256 + CreationStackTrace.Length);
        text.Append("Leaked channel: a ").Append(FormatTypeName(ChannelType))
            .Append(" was garbage-collected without having been completed");
        if (BlockedReaders == 0 && BlockedWriters == 0)
        {
            text.Append(", with no reader or writer blocked on it.");
        }
        else
        {
            text.Append(", with ");
            AppendCount(text, BlockedReaders, "reader", "readers").Append(" and ");
            AppendCount(text, BlockedWriters, "writer", "writers")
                .Append(" still blocked on it. Those operations never finish: the methods awaiting them were " +
                        "collected with the channel, and their remaining code (finally blocks included) never ran, " +
                        "except where a cancellation token source they were given is still alive and is canceled later.");
        }

        text.Append(" Complete the channel (channel.Writer.Complete()) once nothing more will be written. It was created")
            .Append(Environment.NewLine)
            .Append(CreationStackTrace.Length == 0 ? "   at (unknown)" : CreationStackTrace.TrimEnd());
        return text.ToString();
    }

    private string DebuggerDisplay =>
        $"{FormatTypeName(ChannelType)}: BlockedReaders = {BlockedReaders}, BlockedWriters = {BlockedWriters}";

    private static StringBuilder AppendCount(StringBuilder text, int count, string one, string many) =>
        text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(count == 1 ? one : many);

    /// <summary>A type's name as C# writes it (<c>RendezvousChannel&lt;Int32&gt;</c>), without namespaces, for a readable message.</summary>
    internal static string FormatTypeName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        var text = new StringBuilder(tick < 0 ? name : name[..tick]).Append('<');
        Type[] arguments = type.GetGenericArguments();
        for (int i = 0; i < arguments.Length; i++)
        {
            if (i != 0)
            {
                text.Append(", ");
            }

            text.Append(FormatTypeName(arguments[i]));
        }

        return text.Append('>').ToString();
    }
}
