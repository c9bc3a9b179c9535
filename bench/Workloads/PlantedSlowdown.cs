using System;
using System.Globalization;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// A deliberate, measured slowdown of one workload of ours, for checking that <c>diff</c> still flags a real
/// regression: with <c>RENDEZVOUS_BENCH_SLOWDOWN=OneToOne:30</c> in the environment (benchmark processes inherit
/// it), every <c>Ours</c> row of that workload moves 30% more items per invocation than it reports, so its time
/// per operation grows by 30% while the BCL rows are untouched. Unset, it changes nothing.
/// </summary>
internal static class PlantedSlowdown
{
    public const string Variable = "RENDEZVOUS_BENCH_SLOWDOWN";

    /// <summary>The variable's value, or null when unset; the comparison table warns when it is set.</summary>
    public static string? Setting => Environment.GetEnvironmentVariable(Variable);

    /// <summary>How many items Ours moves for <paramref name="operations"/> reported operations of <paramref name="workload"/>.</summary>
    public static int ItemsFor(Workload workload, int operations) => ItemsFor(Setting, workload, operations);

    /// <summary>
    /// The parsing, apart from the environment: <c>&lt;Workload&gt;:&lt;percent&gt;</c>. The count is rounded up to a
    /// multiple of 4, so that four writers and four readers still share it evenly.
    /// </summary>
    /// <exception cref="FormatException">The setting is not <c>Workload:percent</c>.</exception>
    public static int ItemsFor(string? setting, Workload workload, int operations)
    {
        if (string.IsNullOrEmpty(setting))
        {
            return operations;
        }

        string[] parts = setting.Split(':');
        if (parts.Length != 2 ||
            !Enum.TryParse(parts[0], ignoreCase: true, out Workload slowed) ||
            !double.TryParse(parts[1].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) ||
            percent < 0)
        {
            throw new FormatException($"{Variable}='{setting}': expected <Workload>:<percent>, e.g. OneToOne:30.");
        }

        if (slowed != workload)
        {
            return operations;
        }

        int items = (int)Math.Ceiling(operations * (1 + (percent / 100)));
        return (items + 3) / 4 * 4;
    }
}
