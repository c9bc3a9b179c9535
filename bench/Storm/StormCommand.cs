using System;
using System.Globalization;
using System.IO;
using System.Threading.Channels;
using System.Threading.Tasks;
using Rendezvous.Channels.Benchmarks.Results;
using Rendezvous.Channels.Storm;

namespace Rendezvous.Channels.Benchmarks.Storm;

/// <summary>
/// <c>storm [--seconds S]</c>: the cancellation storm of tests/Unit/CancellationStormTests.cs (the same source,
/// <see cref="CancellationStorm"/>) against the BCL's <c>Channel.CreateBounded</c> (capacity 0 and 16, Wait mode) and
/// against ours, for a few seconds each, and a table of the audit: items written successfully, read, lost (written
/// successfully, never read), delivered after a canceled write, duplicated. A correctness measurement, not a timing.
/// </summary>
internal static class StormCommand
{
    private const int DefaultSeconds = 3;

    /// <summary>An upper bound on items per storm, so that the audit arrays stay small (a storm usually stops on time first).</summary>
    private const int MaxItems = 4_000_000;

    /// <summary>How long a storm may overrun its duration before it is reported as hung.</summary>
    private static readonly TimeSpan s_hangAllowance = TimeSpan.FromSeconds(60);

    private static readonly (string Name, Func<Channel<int>> Create)[] s_channels =
    [
        ("Channel.CreateBounded(0)", () => Channel.CreateBounded<int>(new BoundedChannelOptions(0) { FullMode = BoundedChannelFullMode.Wait })),
        ("RendezvousChannel", () => new RendezvousChannel<int>()),
        ("Channel.CreateBounded(16)", () => Channel.CreateBounded<int>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.Wait })),
        ("RingBufferChannel(16)", () => new RingBufferChannel<int>(16)),
        ("RingBufferChannel(1)", () => new RingBufferChannel<int>(1)),
    ];

    public static int Execute(string[] args, TextWriter output)
    {
        int seconds = DefaultSeconds;
        if (args.Length != 0 && !(args.Length == 2 && args[0] == "--seconds" &&
            int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds >= 1))
        {
            output.WriteLine("Usage: storm [--seconds S]   (S >= 1, default 3)");
            return 2;
        }

        var settings = new StormSettings(Writers: 3, Readers: 3, MaxItems: MaxItems, Duration: TimeSpan.FromSeconds(seconds),
            CancelOneIn: 3, Seed: 1);
        output.WriteLine($"Cancellation storm: {settings.Writers} writers and {settings.Readers} readers per channel; each cancels " +
            $"1 in {settings.CancelOneIn} of its operations that park, and after 1 in {settings.CancelOneIn} operations another " +
            $"participant's token, at random moments; {seconds} s per channel.");
        output.WriteLine($".NET runtime {Environment.Version}, {Environment.ProcessorCount} cores, {Environment.OSVersion}.");
        var table = new TextTable("Channel", ">Written OK", ">Writes canceled", ">Read", ">Reads canceled", ">Lost",
            ">Delivered after canceled", ">Duplicated", ">Other", "Verdict");
        bool allOursExact = true;
        foreach ((string name, Func<Channel<int>> create) in s_channels)
        {
            Task<StormResult> storm = Task.Run(() => CancellationStorm.RunAsync(create(), settings));
            if (!storm.Wait(settings.Duration + s_hangAllowance))
            {
                table.AddRow(name, "-", "-", "-", "-", "-", "-", "-", "-", "hung");
                allOursExact &= name.StartsWith("Channel.", StringComparison.Ordinal);
                continue;
            }

            StormResult r = storm.Result;
            table.AddRow(name, N(r.WrittenOk), N(r.WritesCanceled), N(r.Read), N(r.ReadsCanceled), N(r.Lost),
                N(r.DeliveredAfterCanceled), N(r.Duplicated), N(r.DeliveredAfterFailed + r.Unknown),
                r.IsExactlyOnce ? "exactly once" : "WRONG");
            if (!name.StartsWith("Channel.", StringComparison.Ordinal))
            {
                allOursExact &= r.IsExactlyOnce;
            }
        }

        table.Write(output);
        output.WriteLine("Lost: WriteAsync succeeded, never read. Delivered after canceled: WriteAsync threw " +
            "OperationCanceledException, yet a reader got the item. Other: delivered after a failed write, or unknown items.");
        // Exit 1 only if one of ours is wrong (the BCL's results are a measurement, not ours to pass or fail).
        return allOursExact ? 0 : 1;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
