// HandOffChannelOptions: the options both channels share (the base of RendezvousChannelOptions and
// RingBufferChannelOptions, as ChannelOptions is of BoundedChannelOptions in System.Threading.Channels).

using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Rendezvous.Channels;

/// <summary>
/// Options shared by <see cref="RendezvousChannel{T}"/> and <see cref="RingBufferChannel{T}"/>. A channel copies
/// them when it is created; changing the options afterwards does not change the channel.
/// </summary>
/// <remarks>Not named <c>ChannelOptions</c>, so that it never clashes with System.Threading.Channels' own.</remarks>
[DebuggerDisplay("ContinuationMode = {ContinuationMode}")]
public abstract class HandOffChannelOptions
{
    /// <summary>The validated mode; <see cref="ContinuationMode.ThreadPool"/> unless set.</summary>
    private ContinuationMode _continuationMode;

    /// <summary>Initializes options with the defaults.</summary>
    private protected HandOffChannelOptions()
    {
    }

    /// <summary>
    /// Where woken continuations run: <see cref="Channels.ContinuationMode.ThreadPool"/> (the default) or
    /// <see cref="Channels.ContinuationMode.Chained"/>. The AppContext switch
    /// <c>RendezvousChannel.DisableContinuationChaining</c> overrides <see cref="Channels.ContinuationMode.Chained"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Channels.ContinuationMode"/>.</exception>
    public ContinuationMode ContinuationMode
    {
        get => _continuationMode;
        set
        {
            if (value is not (ContinuationMode.ThreadPool or ContinuationMode.Chained))
            {
                ThrowUndefinedMode(value);
            }

            _continuationMode = value;
        }
    }

    /// <summary>Whether a channel created with these options may chain continuations (the process switch allows it).</summary>
    internal bool MayChain => _continuationMode == ContinuationMode.Chained && Scheduling.ContinuationTrampoline.IsEnabled;

    [DoesNotReturn]
    private static void ThrowUndefinedMode(ContinuationMode value) =>
        throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined ContinuationMode.");
}
