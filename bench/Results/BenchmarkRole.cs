namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>What a benchmark method is for in its class: the yardstick, our channel, or an extra BCL row.</summary>
internal enum BenchmarkRole
{
    /// <summary>The <c>[Benchmark(Baseline = true)]</c> method; every other method's ratio is against it.</summary>
    Baseline,

    /// <summary>Our channel: its ratio to the baseline is the headline figure and what regressions track.</summary>
    Ours,

    /// <summary>Another BCL channel shown for context (e.g. CreateUnbounded); never a regression.</summary>
    Reference,

    /// <summary>The async floor of a hand-off (no channel: a single-threaded rendezvous); context, never a regression.</summary>
    Floor,
}
