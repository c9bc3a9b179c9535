namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>
/// One benchmark case's per-operation figures, whether read from a live BenchmarkDotNet summary or from an
/// exported JSON report, so the comparison table and the regression check share one pairing logic.
/// </summary>
/// <param name="Type">The benchmark class's full name; with <paramref name="Parameters"/> it names the group.</param>
/// <param name="Method">The benchmark method, e.g. <c>RendezvousChannel</c> or <c>BclBounded0</c>.</param>
/// <param name="Parameters">BenchmarkDotNet's parameter text, e.g. <c>Capacity=16</c>; empty when none.</param>
/// <param name="Role">Baseline, ours or reference, from the method's attributes.</param>
/// <param name="NanosecondsPerOperation">Mean time per operation (OperationsPerInvoke already divided out).</param>
/// <param name="BytesPerOperation">Managed bytes allocated per operation; null when not measured.</param>
/// <param name="LockContentionsPerOperation">Monitor lock contentions per operation; null when not measured.</param>
internal sealed record MeasuredBenchmark(
    string Type,
    string Method,
    string Parameters,
    BenchmarkRole Role,
    double NanosecondsPerOperation,
    double? BytesPerOperation,
    double? LockContentionsPerOperation)
{
    /// <summary>The class name without its namespace, for tables.</summary>
    public string ShortType => Type[(Type.LastIndexOf('.') + 1)..];

    /// <summary>Benchmarks with the same group key are compared with the same baseline.</summary>
    public string GroupKey => $"{Type}|{Parameters}";

    /// <summary>Identifies the benchmark case across runs.</summary>
    public string Key => $"{Type}.{Method}|{Parameters}";
}
