// ILeakTrackable: what leak detection reads off a channel that is collected without having been completed, and
// what the live-channel registry (the stuck-operation watchdog, the snapshot, the metrics) reads off a live one.

namespace Rendezvous.Channels.Diagnostics;

/// <summary>What the leak tracker reads off a channel that is being collected without having been completed.</summary>
internal interface ILeakTrackable
{
    /// <summary>Readers parked in ReadAsync or WaitToReadAsync (including an <c>await foreach</c> over ReadAllAsync).</summary>
    int BlockedReaders { get; }

    /// <summary>Writers parked in WriteAsync or WaitToWriteAsync.</summary>
    int BlockedWriters { get; }

    /// <summary>
    /// When the longest-parked live operation parked (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), or
    /// 0 if none is parked or park times are not recorded (<see cref="ParkClock"/>). For the stuck-operation watchdog.
    /// </summary>
    long OldestParkTimestamp { get; }

    /// <summary>Items buffered in the channel (for the metrics); an unbuffered channel holds none.</summary>
    int BufferedItems => 0;
}
