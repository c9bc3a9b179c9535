// A Native AOT program that abandons a channel with a reader parked on it, forces a collection, and prints the
// leak report: .ci/run publishes it with trim and AOT warnings as errors, runs it, and checks what it prints.

using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels;

namespace Rendezvous.Channels.AotConsumer;

internal static class Program
{
    private static int Main()
    {
        ChannelLeakReport? found = null;
        ChannelDiagnostics.LeakDetected += report => Volatile.Write(ref found, report);
        if (!ChannelDiagnostics.LeakDetectionEnabled)
        {
            Console.Error.WriteLine("Leak detection is off although the AppContext switch turns it on.");
            return 2;
        }

        AbandonChannelWithParkedReader();
        for (int round = 0; round < 10 && Volatile.Read(ref found) is null; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        ChannelLeakReport? report = Volatile.Read(ref found);
        if (report is null)
        {
            Console.Error.WriteLine("No leak report after 10 forced collections.");
            return 1;
        }

        Console.WriteLine(report.ToString());
        return 0;
    }

    /// <summary>Creates the channel in a frame of its own, so that nothing on Main's stack keeps it alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AbandonChannelWithParkedReader()
    {
        var channel = new RendezvousChannel<int>();
        _ = ReadOneAsync(channel.Reader);
    }

    private static async Task ReadOneAsync(ChannelReader<int> reader) => _ = await reader.ReadAsync();
}
