using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario d, a low-rate service: a client makes one round trip (request, reply, both rendezvous channels) to a
/// server loop every 500 ms. Idle almost all the time, the process should cost almost nothing: the figures are its
/// CPU time and context switches per second over the run, against the BCL's.
/// </summary>
/// <remarks>
/// The process is left alone for a while first (<see cref="CitizenshipSettings.ServiceSettle"/>), longer than our
/// rescuer's timer keeps ticking after the last chain (about a second), so that the previous scenario's tail is not
/// counted.
/// </remarks>
internal static class IdleServiceScenario
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(500);

    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        string scenario = $"d. a service doing one round trip every 500 ms, for {settings.ServiceDuration.TotalSeconds:0.#} s";
        Channel<int> requests = SideChannels.Create<int>(side, 0);
        Channel<int> replies = SideChannels.Create<int>(side, 0);
        int roundTrips = (int)(settings.ServiceDuration / s_interval);

        async Task ServerAsync()
        {
            for (int i = 0; i < roundTrips; i++)
            {
                int request = await requests.Reader.ReadAsync();
                await replies.Writer.WriteAsync(request + 1);
            }
        }

        async Task ClientAsync()
        {
            for (int i = 0; i < roundTrips; i++)
            {
                await Task.Delay(s_interval);
                await requests.Writer.WriteAsync(i);
                int reply = await replies.Reader.ReadAsync();
                if (reply != i + 1)
                {
                    throw new InvalidOperationException($"{scenario}: request {i} got reply {reply}.");
                }
            }
        }

        Thread.Sleep(CitizenshipSettings.ServiceSettle);
        ProcessUsage before = ProcessUsage.Now();
        long started = Stopwatch.GetTimestamp();
        Task server = ServerAsync();
        Bounded.Wait(Task.WhenAll(Task.Run(ClientAsync), server), settings.HangTimeout, scenario);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        ProcessUsage used = ProcessUsage.Now().Since(before);
        requests.Writer.Complete();
        replies.Writer.Complete();
        return
        [
            new(scenario, "process CPU time", used.ProcessorTime.TotalMilliseconds, MetricKind.Milliseconds),
            new(scenario, "context switches per second", used.ContextSwitches / elapsed.TotalSeconds, MetricKind.PerSecond),
        ];
    }
}
