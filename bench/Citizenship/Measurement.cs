using System;
using System.Globalization;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>One figure of one scenario on one side; <paramref name="OutOf"/> is the number of trials of a <see cref="MetricKind.Count"/>.</summary>
internal sealed record Measurement(string Scenario, string Metric, double Value, MetricKind Kind, int OutOf = 0)
{
    private const char Separator = '\t';

    /// <summary>The value as the table prints it.</summary>
    public string Format() => Kind switch
    {
        MetricKind.Rate => Value.ToString("N0", CultureInfo.InvariantCulture) + "/s",
        MetricKind.Fraction => Value.ToString("P0", CultureInfo.InvariantCulture),
        MetricKind.Milliseconds => Value.ToString(Value < 100 ? "N1" : "N0", CultureInfo.InvariantCulture) + " ms",
        MetricKind.PerSecond => Value.ToString("N0", CultureInfo.InvariantCulture) + "/s",
        _ => $"{Value.ToString("N0", CultureInfo.InvariantCulture)} of {OutOf.ToString("N0", CultureInfo.InvariantCulture)}",
    };

    /// <summary>One line of the child process's output (tab-separated; scenario and metric names hold no tab).</summary>
    public string ToLine() => string.Join(
        Separator,
        Scenario,
        Metric,
        Value.ToString("R", CultureInfo.InvariantCulture),
        Kind.ToString(),
        OutOf.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads a line written by <see cref="ToLine"/>; null for any other line.</summary>
    public static Measurement? TryParse(string line)
    {
        string[] parts = line.Split(Separator);
        return parts.Length == 5 &&
            double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) &&
            Enum.TryParse(parts[3], out MetricKind kind) &&
            int.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int outOf)
            ? new Measurement(parts[0], parts[1], value, kind, outOf)
            : null;
    }
}
