using System;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A concurrent use of a channel, written against <see cref="Channel{T}"/> so that the same scenario runs on
/// every channel and on every copy of the library, with an oracle that checks its outcome (it fails through
/// Coyote's Specification.Assert; a task that never ends is reported by Coyote as a deadlock).
/// </summary>
internal sealed record Scenario(string Name, Func<Channel<int>, Task> RunAsync)
{
    public override string ToString() => Name;
}
