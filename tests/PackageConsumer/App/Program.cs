// PackageConsumer: a program that forgets to complete its channels, built against the RendezvousChannel package.
// It prints what leak detection made of that; .ci/run checks the output: in Debug both channels are reported
// with this file's method in their creation stack, in Release nothing is reported and no tracker exists.

using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels;

internal static class Program
{
    private static readonly ConcurrentQueue<ChannelLeakReport> s_reports = new();

    private static int Main()
    {
        ChannelDiagnostics.LeakDetected += s_reports.Enqueue;

        bool? switchValue = AppContext.TryGetSwitch("RendezvousChannel.LeakDetection", out bool value) ? value : null;
        Console.WriteLine($"switch: {(switchValue is null ? "unset" : switchValue.Value ? "true" : "false")}");
        Console.WriteLine($"leak-detection-enabled: {(ChannelDiagnostics.LeakDetectionEnabled ? "true" : "false")}");

        bool?[] trackers = StartPipelineAndForgetToCompleteIt();
        Console.WriteLine($"trackers: {string.Join(", ", Array.ConvertAll(trackers, Describe))}");

        // The two channels are unreachable now; collect them and let the finalizer report them.
        for (int round = 0; round < 5 && s_reports.Count < trackers.Length; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        foreach (ChannelLeakReport report in s_reports)
        {
            Console.WriteLine($"leak-report: {report}");
        }

        Console.WriteLine($"leaks-reported: {s_reports.Count}");
        return 0;
    }

    /// <summary>
    /// Creates a rendezvous channel with a consumer parked on it and a ring buffer with nobody on it, and drops
    /// both without completing them. Not inlined, so that no local of the caller keeps them alive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool?[] StartPipelineAndForgetToCompleteIt()
    {
        var orders = new RendezvousChannel<int>();
        _ = ConsumeAsync(orders.Reader);           // parks in ReadAllAsync, waiting for a Complete that never comes
        var buffer = new RingBufferChannel<string>(capacity: 16);
        buffer.Writer.TryWrite("never read");
        return [HasLeakTracker(orders), HasLeakTracker(buffer)];
    }

    private static async Task ConsumeAsync(ChannelReader<int> reader)
    {
        await foreach (int order in reader.ReadAllAsync())
        {
            Console.WriteLine($"order {order}");
        }
    }

    /// <summary>
    /// Whether the channel holds a leak tracker: looked up by reflection, because "no tracker is created when
    /// detection is off" is what this program exists to show. Null if the channel has no such field at all
    /// (then the check itself is broken, and .ci/run fails on it).
    /// </summary>
    private static bool? HasLeakTracker(object channel)
    {
        for (Type? type = channel.GetType(); type is not null; type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                // The channel's registration with diagnostics: a LeakTracker while leak detection is on.
                if (field.FieldType.Name == "ChannelRegistration")
                {
                    return field.GetValue(channel)?.GetType().Name == "LeakTracker";
                }
            }
        }

        return null;
    }

    private static string Describe(bool? hasTracker) => hasTracker switch
    {
        true => "tracked",
        false => "none",
        null => "no-tracker-field",
    };
}
