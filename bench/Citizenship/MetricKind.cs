namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>What a measured value is, which decides how the table prints it.</summary>
internal enum MetricKind
{
    /// <summary>Items per second.</summary>
    Rate,

    /// <summary>A fraction between 0 and 1, printed as a percentage.</summary>
    Fraction,

    /// <summary>A duration in milliseconds.</summary>
    Milliseconds,

    /// <summary>Events per second (context switches).</summary>
    PerSecond,

    /// <summary>A count out of <see cref="Measurement.OutOf"/> trials.</summary>
    Count,
}
