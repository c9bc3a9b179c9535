namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>
/// BenchmarkDotNet's metric ids (the same in live reports and in the JSON export's <c>Metrics[].Descriptor.Id</c>).
/// Both are per-operation values.
/// </summary>
internal static class MetricIds
{
    /// <summary>MemoryDiagnoser's allocated bytes per operation.</summary>
    public const string AllocatedBytes = "Allocated Memory";

    /// <summary>ThreadingDiagnoser's Monitor lock contentions per operation.</summary>
    public const string LockContentions = "LockContentionCount";
}
