// ILeakTrackable: what leak detection reads off a channel that is collected without having been completed.

namespace Rendezvous.Channels.Diagnostics;

/// <summary>What the leak tracker reads off a channel that is being collected without having been completed.</summary>
internal interface ILeakTrackable
{
    /// <summary>Readers parked in ReadAsync or WaitToReadAsync (including an <c>await foreach</c> over ReadAllAsync).</summary>
    int BlockedReaders { get; }

    /// <summary>Writers parked in WriteAsync or WaitToWriteAsync.</summary>
    int BlockedWriters { get; }
}
