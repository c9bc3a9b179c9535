using System;
using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>A channel implementation the scenarios run against, and how to make a fresh one per iteration.</summary>
internal sealed record ChannelUnderTest(string Name, Func<Channel<int>> Create)
{
    public override string ToString() => Name;
}
