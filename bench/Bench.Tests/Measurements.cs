using Rendezvous.Channels.Benchmarks.Model;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>Builds the measurements the comparer tests feed it: one workload class, a baseline and ours.</summary>
internal static class Measurements
{
    public const string Workload = "Rendezvous.Channels.Benchmarks.Ring.RingOneToOne";

    public static MeasuredBenchmark Baseline(double nanoseconds, string parameters = "Capacity=16") =>
        new(Workload, "BclBounded", parameters, BenchmarkRole.Baseline, nanoseconds, 60, 0.01);

    public static MeasuredBenchmark Ours(double nanoseconds, double bytes = 0, string parameters = "Capacity=16") =>
        new(Workload, "RingBufferChannel", parameters, BenchmarkRole.Ours, nanoseconds, bytes, 0);

    public static MeasuredBenchmark Reference(double nanoseconds, string parameters = "Capacity=16") =>
        new(Workload, "BclUnbounded", parameters, BenchmarkRole.Reference, nanoseconds, 8, 0);
}
