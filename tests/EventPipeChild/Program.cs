// The child process of tests/Unit/EventPipeTests.cs. Protocol, one line each way at a time: it prints "ready";
// on a line from standard input it abandons a RendezvousChannel<EventPipeMarker> with one reader parked on it,
// forces collections until the leak is reported, and prints "reported"; on a second line it exits. The test
// runs it with leak detection on (RENDEZVOUSCHANNEL_LEAKDETECTION=1) and starts its trace session in between.

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels;

namespace Rendezvous.Channels.EventPipeChild;

internal static class Program
{
    private static int Main()
    {
        int reports = 0;
        ChannelDiagnostics.LeakDetected += report =>
        {
            if (report.ChannelType == typeof(RendezvousChannel<EventPipeMarker>))
            {
                Interlocked.Increment(ref reports);
            }
        };

        Console.WriteLine("ready");
        if (Console.ReadLine() is null)
        {
            return 2;
        }

        AbandonChannelWithParkedReader();
        for (int round = 0; round < 10 && Volatile.Read(ref reports) == 0; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Console.WriteLine(Volatile.Read(ref reports) == 0 ? "not reported" : "reported");
        _ = Console.ReadLine();
        return 0;
    }

    /// <summary>Creates the channel in a frame of its own, so that nothing on Main's stack keeps it alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonChannelWithParkedReader()
    {
        var channel = new RendezvousChannel<EventPipeMarker>();
        _ = ReadOneAsync(channel.Reader);
    }

    private static async Task ReadOneAsync(ChannelReader<EventPipeMarker> reader) => _ = await reader.ReadAsync();
}

/// <summary>The item type of the abandoned channel, so that the test can tell its report from any other.</summary>
internal sealed class EventPipeMarker;
