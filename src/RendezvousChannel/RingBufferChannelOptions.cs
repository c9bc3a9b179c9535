// RingBufferChannelOptions: how to create a RingBufferChannel<T> (its capacity, and the shared options).

using System;
using System.Diagnostics;

namespace Rendezvous.Channels;

/// <summary>Options for <see cref="RingBufferChannel{T}"/>: its capacity, and those of <see cref="HandOffChannelOptions"/>.</summary>
[DebuggerDisplay("Capacity = {Capacity}, ContinuationMode = {ContinuationMode}")]
public sealed class RingBufferChannelOptions : HandOffChannelOptions
{
    /// <summary>Options for a channel that holds at most <paramref name="capacity"/> items.</summary>
    /// <param name="capacity">The exact number of items the channel can hold; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1 or more than 2^30.</exception>
    public RingBufferChannelOptions(int capacity)
    {
        RingBufferChannel<object>.ValidateCapacity(capacity);
        Capacity = capacity;
    }

    /// <summary>The exact number of items the channel can hold.</summary>
    public int Capacity { get; }
}
