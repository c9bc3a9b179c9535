using System;
using System.Globalization;
using System.Threading.Channels;

namespace Rendezvous.Channels.Benchmarks.Workloads;

/// <summary>
/// A deliberate, measured slowdown of one workload of ours, for checking that <c>guard</c> and <c>diff</c> still flag
/// a real regression: with <c>RENDEZVOUS_BENCH_SLOWDOWN=OneToOne:30</c> in the environment (benchmark processes
/// inherit it), every <c>Ours</c> row of that workload moves 30% more items per invocation than it reports, so its
/// time per operation grows by 30% while the BCL rows are untouched. A channel family in front narrows it to one
/// channel: <c>Ring.OneToOne:30</c> slows the ring's 1 → 1 rows only, <c>Rendezvous.OneToOne:30</c> the rendezvous
/// row only. Unset, it changes nothing.
/// </summary>
internal static class PlantedSlowdown
{
    public const string Variable = "RENDEZVOUS_BENCH_SLOWDOWN";

    /// <summary>The variable's value, or null when unset; the comparison table warns when it is set.</summary>
    public static string? Setting => Environment.GetEnvironmentVariable(Variable);

    /// <summary>
    /// How many items our <paramref name="channel"/> moves for <paramref name="operations"/> reported operations of
    /// <paramref name="workload"/>.
    /// </summary>
    public static int ItemsToMove(Channel<int> channel, Workload workload, int operations) =>
        ItemsFor(Setting, FamilyOf(channel), workload, operations);

    /// <summary>Which family <paramref name="channel"/> belongs to; only our channels are ever slowed.</summary>
    public static ChannelFamily FamilyOf(Channel<int> channel) =>
        channel is RingBufferChannel<int> ? ChannelFamily.Ring : ChannelFamily.Rendezvous;

    /// <summary>The parsing, apart from the environment, for a rendezvous channel (the unnarrowed form).</summary>
    public static int ItemsFor(string? setting, Workload workload, int operations) =>
        ItemsFor(setting, ChannelFamily.Rendezvous, workload, operations);

    /// <summary>
    /// The parsing, apart from the environment: <c>[&lt;Family&gt;.]&lt;Workload&gt;:&lt;percent&gt;</c>. The count is
    /// rounded up to a multiple of 4, so that four writers and four readers still share it evenly.
    /// </summary>
    /// <exception cref="FormatException">The setting is not <c>[Family.]Workload:percent</c>.</exception>
    public static int ItemsFor(string? setting, ChannelFamily family, Workload workload, int operations)
    {
        if (string.IsNullOrEmpty(setting))
        {
            return operations;
        }

        string[] parts = setting.Split(':');
        string[] target = parts[0].Split('.');
        ChannelFamily? narrowedTo = null;
        if (target.Length == 2 && Enum.TryParse(target[0], ignoreCase: true, out ChannelFamily named) && Enum.IsDefined(named))
        {
            narrowedTo = named;
        }

        if (parts.Length != 2 ||
            target.Length != (narrowedTo is null ? 1 : 2) ||
            !Enum.TryParse(target[^1], ignoreCase: true, out Workload slowed) ||
            !Enum.IsDefined(slowed) ||
            !double.TryParse(parts[1].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) ||
            percent < 0)
        {
            throw new FormatException(
                $"{Variable}='{setting}': expected [Rendezvous.|Ring.]<Workload>:<percent>, e.g. OneToOne:30 or Ring.OneToOne:30.");
        }

        if (slowed != workload || (narrowedTo is { } only && only != family))
        {
            return operations;
        }

        int items = (int)Math.Ceiling(operations * (1 + (percent / 100)));
        return (items + 3) / 4 * 4;
    }
}
