using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// Scenario e: stages A and B ping-pong over two rendezvous channels. Before each hand-off to B, stage A changes
/// its thread (name, priority, background flag) and its contexts (culture, an AsyncLocal, a SynchronizationContext)
/// and leaves them so; B, resumed next, counts how often it finds them. The thread pool resets all of these between
/// two work items, so a continuation never sees what another left behind; chained continuations must not either.
/// </summary>
internal static class ThreadStateScenario
{
    private const string StageAThreadName = "citizenship stage A";

    private static readonly CultureInfo s_stageACulture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
    private static readonly AsyncLocal<object?> s_asyncLocal = new();
    private static readonly object s_stageAValue = new();
    private static readonly SynchronizationContext s_stageAContext = new();

    /// <summary>What B checks, in the table's order.</summary>
    private static readonly (string Metric, Func<bool> SeenByB)[] s_leaks =
    [
        ("B sees A's Thread.Name", static () => Thread.CurrentThread.Name == StageAThreadName),
        ("B sees A's Thread.Priority", static () => Thread.CurrentThread.Priority == ThreadPriority.BelowNormal),
        ("B sees A's IsBackground = false", static () => !Thread.CurrentThread.IsBackground),
        ("B sees A's CurrentCulture", static () => ReferenceEquals(CultureInfo.CurrentCulture, s_stageACulture)),
        ("B sees A's AsyncLocal value", static () => ReferenceEquals(s_asyncLocal.Value, s_stageAValue)),
        ("B sees A's SynchronizationContext", static () => ReferenceEquals(SynchronizationContext.Current, s_stageAContext)),
    ];

    public static IEnumerable<Measurement> Run(ChannelSide side, CitizenshipSettings settings)
    {
        const string Scenario = "e. stage A changes its thread and contexts; stage B is resumed next";
        int roundTrips = settings.ThreadStateRoundTrips;
        Channel<int> toB = SideChannels.Create<int>(side, 0);
        Channel<int> toA = SideChannels.Create<int>(side, 0);
        int[] seen = new int[s_leaks.Length];

        async Task StageBAsync()
        {
            for (int i = 0; i < roundTrips; i++)
            {
                // ConfigureAwait(false) everywhere: neither stage may capture the context A installs.
                int item = await toB.Reader.ReadAsync().ConfigureAwait(false);
                if (item != i)
                {
                    throw new InvalidOperationException($"{Scenario}: stage B got item {item}, expected {i}.");
                }

                for (int leak = 0; leak < s_leaks.Length; leak++)
                {
                    seen[leak] += s_leaks[leak].SeenByB() ? 1 : 0;
                }

                await toA.Writer.WriteAsync(item).ConfigureAwait(false);
            }
        }

        async Task StageAAsync()
        {
            for (int i = 0; i < roundTrips; i++)
            {
                ChangeThreadAndContexts();
                await toB.Writer.WriteAsync(i).ConfigureAwait(false);
                int echo = await toA.Reader.ReadAsync().ConfigureAwait(false);
                if (echo != i)
                {
                    throw new InvalidOperationException($"{Scenario}: stage A got echo {echo}, expected {i}.");
                }
            }
        }

        Task stageB = Task.Run(StageBAsync);
        Task stageA = Task.Run(StageAAsync);
        Bounded.Wait(Task.WhenAll(stageA, stageB), settings.HangTimeout, Scenario);
        toA.Writer.Complete();
        toB.Writer.Complete();
        var measurements = new List<Measurement>();
        for (int leak = 0; leak < s_leaks.Length; leak++)
        {
            measurements.Add(new Measurement(Scenario, s_leaks[leak].Metric, seen[leak], MetricKind.Count, roundTrips));
        }

        return measurements;
    }

    /// <summary>What stage A leaves on its thread. The pool puts all of it back once the work item ends.</summary>
    private static void ChangeThreadAndContexts()
    {
        Thread thread = Thread.CurrentThread;
        if (thread.Name != StageAThreadName)
        {
            thread.Name = StageAThreadName;
        }

        thread.Priority = ThreadPriority.BelowNormal;
        thread.IsBackground = false;
        CultureInfo.CurrentCulture = s_stageACulture;
        s_asyncLocal.Value = s_stageAValue;
        SynchronizationContext.SetSynchronizationContext(s_stageAContext);
    }
}
