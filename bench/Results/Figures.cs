using System.Globalization;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>How the tables print numbers: invariant culture, precision suited to each quantity.</summary>
internal static class Figures
{
    public static string Nanoseconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Bytes per operation, whole bytes as BenchmarkDotNet rounds them; "-" when not measured.</summary>
    public static string Bytes(double? value) =>
        value is null ? "-" : value.Value.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Lock contentions per operation: exactly "0" when there were none; otherwise enough decimals that one
    /// contention per invocation (about 1/16384 per operation) does not round to zero.
    /// </summary>
    public static string Contentions(double? value) => value switch
    {
        null => "-",
        0 => "0",
        >= 0.01 => value.Value.ToString("0.00", CultureInfo.InvariantCulture),
        < 0.0000005 => "<0.000001",
        _ => value.Value.ToString("0.000000", CultureInfo.InvariantCulture),
    };

    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A threshold: "10%".</summary>
    public static string Threshold(double fraction) => fraction.ToString("0.#%", CultureInfo.InvariantCulture);

    /// <summary>A signed change: "+12.5%", "-3.0%".</summary>
    public static string Percent(double fraction) =>
        fraction.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}
