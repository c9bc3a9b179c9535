// IReadiness: what a channel tells the parking lot about itself, so that WaitTo callers are answered correctly.

namespace Rendezvous.Channels.Parking;

/// <summary>A channel's answer to a WaitTo caller: can an operation of this kind make progress now, or ever?</summary>
internal interface IReadiness
{
    /// <summary>
    /// For <see cref="WaiterKind.Reader"/>: an item could be read now. For <see cref="WaiterKind.Writer"/>: an
    /// item could be written now. A racy snapshot: true may be stale by the time the caller acts on it.
    /// </summary>
    bool IsReady(WaiterKind kind);

    /// <summary>
    /// Whether nothing will ever be read again: completed, and every accepted item read. Only then may a
    /// reader be told <c>false</c>; "completed" alone is not enough while accepted items remain.
    /// </summary>
    bool IsDrained { get; }
}
