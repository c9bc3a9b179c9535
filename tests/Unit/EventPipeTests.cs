using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Xunit;
using Xunit.Abstractions;

namespace Rendezvous.Channels.Tests.Unit;

/// <summary>
/// Issue 11, point 5: the documented command, <c>dotnet-trace collect --providers RendezvousChannel</c>, records
/// the <c>ChannelLeaked</c> event with its whole payload. Tested the way a user runs it: from outside the process,
/// through an EventPipe session that names the provider alone (so keywords 0 and level Informational, which is what
/// dotnet-trace makes of a bare name), against a child process (tests/EventPipeChild) that abandons a channel.
/// An in-process <see cref="EventListener"/> enables every keyword and could not see the difference.
/// </summary>
public sealed class EventPipeTests
{
    /// <summary>The child's item type, as <see cref="Type.ToString"/> writes the channel type in the event.</summary>
    private const string ChildChannelType = "Rendezvous.Channels.RendezvousChannel`1[Rendezvous.Channels.EventPipeChild.EventPipeMarker]";

    /// <summary>How long any one step with the child may take before the test fails instead of hanging.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public EventPipeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_session_naming_only_the_provider_records_ChannelLeaked_with_its_payload()
    {
        // What dotnet-trace makes of "--providers RendezvousChannel": no keywords, level Informational.
        var bareProvider = new EventPipeProvider("RendezvousChannel", EventLevel.Informational, keywords: 0);

        List<RecordedEvent> events = await TraceChildThatAbandonsAChannel(bareProvider);

        RecordedEvent leaked = Assert.Single(events, e => e.EventName == "ChannelLeaked");
        Assert.Equal(1, leaked.Id);
        Assert.Equal(TraceEventLevel.Warning, leaked.Level);
        Assert.Equal(["channelType", "creationStackTrace", "blockedReaders", "blockedWriters"], leaked.PayloadNames);
        Assert.Equal(ChildChannelType, leaked.Payload[0]);
        // The creation stack starts at the child's creating method, past the library's own frames.
        string stack = Assert.IsType<string>(leaked.Payload[1]);
        Assert.StartsWith("at Rendezvous.Channels.EventPipeChild.Program.AbandonChannelWithParkedReader()", stack.TrimStart(), StringComparison.Ordinal);
        Assert.Equal(1, leaked.Payload[2]);
        Assert.Equal(0, leaked.Payload[3]);
    }

    [Fact]
    public void The_event_source_manifest_is_strictly_valid_and_ChannelLeaked_needs_no_keyword()
    {
        // Strict: any mismatch between an [Event] method and what it writes throws here, as it would for a tool.
        string? manifest = EventSource.GenerateManifest(typeof(Diagnostics.ChannelEventSource), assemblyPathToIncludeInManifest: null, EventManifestOptions.Strict);
        Assert.NotNull(manifest);
        _output.WriteLine(manifest);
        Assert.Contains("name=\"RendezvousChannel\"", manifest, StringComparison.Ordinal);
        // No keywords on the event (the manifest's only keywords are EventSource's reserved Session0-3): so a
        // session enables it at any keyword mask, 0 included, and tools need no keyword to ask for it.
        string leakedEvent = manifest.Split('\n').Single(line => line.Contains("symbol=\"ChannelLeaked\"", StringComparison.Ordinal));
        Assert.Contains("<event value=\"1\" version=\"0\" level=\"win:Warning\"", leakedEvent, StringComparison.Ordinal);
        Assert.DoesNotContain("keywords=", leakedEvent, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the child with leak detection on, starts an EventPipe session on it with <paramref name="provider"/>,
    /// has it abandon its channel and report the leak, stops the session and returns the events of the
    /// RendezvousChannel provider that the session recorded.
    /// </summary>
    private async Task<List<RecordedEvent>> TraceChildThatAbandonsAChannel(EventPipeProvider provider)
    {
        string childPath = Path.Combine(AppContext.BaseDirectory, "RendezvousChannel.EventPipeChild.dll");
        Assert.True(File.Exists(childPath), "The child program is built next to the tests: " + childPath);
        // The host that runs these tests (the SDK names it for test runs), else the one on the PATH.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(childPath);
        start.Environment["RENDEZVOUSCHANNEL_LEAKDETECTION"] = "1";

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("The child did not start.");
        try
        {
            Assert.Equal("ready", await child.StandardOutput.ReadLineAsync().WaitAsync(StepTimeout));

            var events = new ConcurrentQueue<RecordedEvent>();
            var client = new DiagnosticsClient(child.Id);
            using EventPipeSession session = client.StartEventPipeSession(provider, requestRundown: false);
            Task reading = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Dynamic.All += e =>
                {
                    if (e.ProviderName == "RendezvousChannel")
                    {
                        events.Enqueue(new RecordedEvent(
                            (int)e.ID, e.EventName, e.Level, e.PayloadNames, e.PayloadNames.Select((_, i) => e.PayloadValue(i)).ToArray()));
                    }
                };
                source.Process();
            });

            // The session is on before the channel is even created; the child's event source is created later,
            // on the first report, and EventPipe enables it then.
            await child.StandardInput.WriteLineAsync("abandon");
            await child.StandardInput.FlushAsync();
            Assert.Equal("reported", await child.StandardOutput.ReadLineAsync().WaitAsync(StepTimeout));

            // Stopping flushes what the session buffered and ends the stream, which ends Process().
            session.Stop();
            await reading.WaitAsync(StepTimeout);
            await child.StandardInput.WriteLineAsync("exit");
            await child.StandardInput.FlushAsync();
            await child.WaitForExitAsync().WaitAsync(StepTimeout);
            Assert.Equal(0, child.ExitCode);

            foreach (RecordedEvent e in events)
            {
                _output.WriteLine($"{e.Id} {e.EventName} {e.Level}: {string.Join(" | ", e.Payload)}");
            }

            return events.ToList();
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    /// <summary>An event as the trace parser saw it, copied out (the parser reuses its event objects).</summary>
    private sealed record RecordedEvent(int Id, string EventName, TraceEventLevel Level, string[] PayloadNames, object?[] Payload);
}
