// The namespaces every test file here uses (the repository turns implicit usings off).
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using System.Threading;
global using System.Threading.Channels;
global using System.Threading.Tasks;
global using Xunit;
global using Xunit.Abstractions;
global using static Rendezvous.Channels.Tests.Unit.ChannelTestSupport;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>Small helpers shared by the channel tests.</summary>
internal static class ChannelTestSupport
{
    /// <summary>
    /// Wall-clock bound on the extra rounds of a rounds-based stress test: each runs a minimum number of rounds,
    /// then more until this much time has passed or its maximum is reached, so that a heavily loaded machine
    /// shortens the run instead of stretching it. Every round that runs is checked in full.
    /// </summary>
    public static readonly TimeSpan RoundsBudget = TimeSpan.FromSeconds(3);

    /// <summary>Writes <paramref name="count"/> items with TryWrite, asserting each is accepted.</summary>
    public static void Fill(ChannelWriter<int> writer, int count, int first = 0)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(writer.TryWrite(first + i), $"TryWrite #{i} should have been accepted");
        }
    }
}
