// LeakDetectionInTestsTests: a package user's test project gets leak detection without asking, in any
// configuration (the package's build targets key it on IsTestProject), and the report names the test's code.

using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Rendezvous.Channels;
using Xunit;

namespace PackageConsumer.Tests;

public sealed class LeakDetectionInTestsTests
{
    [Fact]
    public void A_channel_abandoned_in_a_test_is_reported_with_its_creation_site()
    {
        Assert.True(AppContext.TryGetSwitch("RendezvousChannel.LeakDetection", out bool switchValue));
        Assert.True(switchValue);
        Assert.True(ChannelDiagnostics.LeakDetectionEnabled);

        var reports = new ConcurrentQueue<ChannelLeakReport>();
        void OnLeak(ChannelLeakReport report)
        {
            if (report.ChannelType == typeof(RendezvousChannel<TestMarker>))
            {
                reports.Enqueue(report);
            }
        }

        ChannelDiagnostics.LeakDetected += OnLeak;
        try
        {
            CreateAndAbandon();
            for (int round = 0; round < 5 && reports.IsEmpty; round++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
        finally
        {
            ChannelDiagnostics.LeakDetected -= OnLeak;
        }

        ChannelLeakReport leak = Assert.Single(reports);
        Assert.Contains(nameof(CreateAndAbandon), leak.CreationStackTrace, StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CreateAndAbandon() => _ = new RendezvousChannel<TestMarker>();

    private sealed class TestMarker;
}
