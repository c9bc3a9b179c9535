namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>How much measuring a run does; chosen by the first command-line word.</summary>
internal enum RunMode
{
    /// <summary><c>compare</c>: a short job (a few minutes in all) and the us-versus-BCL summary table.</summary>
    Compare,

    /// <summary><c>full</c>: BenchmarkDotNet's default job, for numbers worth publishing.</summary>
    Full,

    /// <summary><c>dry</c>: every benchmark once, for CI; fails when any benchmark fails. Times mean nothing.</summary>
    Dry,

    /// <summary>No command word: the arguments go to BenchmarkDotNet unchanged (default job unless they say otherwise).</summary>
    PassThrough,
}
