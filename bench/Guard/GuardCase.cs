using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Guard;

/// <summary>
/// One thing the guard measures: a workload on one of our channels and on its BCL counterpart, each side with its
/// own pair of channels created once and reused by every round (as the BenchmarkDotNet suites do).
/// </summary>
/// <param name="Name">The key in a guard report, e.g. <c>Rendezvous OneToOne</c> or <c>Ring(16) FourToFour</c>.</param>
/// <param name="OperationsPerRound">Chosen so that a round of one side lasts milliseconds, not microseconds.</param>
internal sealed record GuardCase(
    string Name, ChannelFamily Family, Workload Workload, int OperationsPerRound, Func<Channel<int>> CreateOurs, Func<Channel<int>> CreateBcl)
{
    /// <summary>
    /// Whether the guard judges this case's time. Not for a buffered ring's streams (capacity above 1, a producer
    /// and a consumer that run apart): how their items flow on 2 cores, side by side or taking turns on one core, is
    /// scheduling luck that drifts with the machine's load, and moved their ratio to the BCL by -43% to +76% between
    /// runs of one commit here (bench/README.md, Regression check). They still run, check their items, and count allocations.
    /// </summary>
    public bool TimeJudged => !(Family == ChannelFamily.Ring && Capacity > 1 && Workload is not (Workload.PingPong or Workload.TryWriteTryRead));

    /// <summary><see cref="TimeJudged"/> of the case of that name in this build; a case this build lacks is judged.</summary>
    public static bool IsTimeJudged(string caseName) => All.FirstOrDefault(c => c.Name == caseName)?.TimeJudged ?? true;

    /// <summary>The ring's capacity; 0 for the rendezvous channel.</summary>
    public int Capacity { get; init; }

    /// <summary>
    /// Every case of the BenchmarkDotNet suites, read from them so the two never drift apart: the rendezvous
    /// suite's workloads, and the ring suite's workloads at each of its capacities.
    /// </summary>
    public static IReadOnlyList<GuardCase> All { get; } = [.. Enumerate()];

    private static IEnumerable<GuardCase> Enumerate()
    {
        foreach (Workload workload in new RendezvousSuite().Workloads)
        {
            yield return new GuardCase(
                $"Rendezvous {workload}", ChannelFamily.Rendezvous, workload, OperationsFor(workload, capacity: 0),
                () => new RendezvousChannel<int>(), () => Channel.CreateBounded<int>(0));
        }

        object?[] capacities = typeof(RingSuite).GetProperty(nameof(RingSuite.Capacity))!.GetCustomAttribute<ParamsAttribute>()!.Values;
        foreach (int capacity in capacities.Cast<int>())
        {
            foreach (Workload workload in new RingSuite().Workloads)
            {
                yield return new GuardCase(
                    $"Ring({capacity}) {workload}", ChannelFamily.Ring, workload, OperationsFor(workload, capacity),
                    () => new RingBufferChannel<int>(capacity), () => Channel.CreateBounded<int>(capacity))
                {
                    Capacity = capacity,
                };
            }
        }
    }

    /// <summary>
    /// A few milliseconds per side and round here: long enough that starting a round's tasks (tens of microseconds)
    /// is a percent or less, short enough for many rounds. Hand-offs and round trips cost hundreds of nanoseconds;
    /// the uncontended TryWrite+TryRead pair tens. The buffered rings' streams cost tens to hundreds, depending on
    /// whether producer and consumer happen to run side by side on both cores or take turns on one; their longer
    /// rounds average over those spells. Multiples of 4 (four writers, four readers).
    /// </summary>
    private static int OperationsFor(Workload workload, int capacity) => (workload, capacity) switch
    {
        (Workload.TryWriteTryRead, _) => 131072,
        (Workload.PingPong, _) or (_, <= 1) => 16384,
        _ => 65536,
    };
}
