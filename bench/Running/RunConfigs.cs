using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>The BenchmarkDotNet configuration of each <see cref="RunMode"/>.</summary>
internal static class RunConfigs
{
    /// <summary>
    /// Short but still statistical: one process per benchmark, 3 warm-up and 5 measured iterations of 250 ms.
    /// About 5 s per benchmark case, a few minutes for the whole suite on a 2-core machine; good enough for
    /// ratios, which is what the comparison table and the regression check read.
    /// </summary>
    public static Job CompareJob { get; } = Job.Default
        .WithId("Compare")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));

    /// <summary>
    /// DefaultConfig (console, markdown/HTML/CSV exporters, the default validators) plus the brief JSON report
    /// that <c>diff</c> reads, written under <paramref name="artifactsPath"/>.
    /// </summary>
    public static IConfig For(RunMode mode, string artifactsPath)
    {
        IConfig config = DefaultConfig.Instance
            .AddExporter(JsonExporter.Brief)
            .WithArtifactsPath(artifactsPath);
        Job job = mode switch
        {
            RunMode.Compare => CompareJob,
            RunMode.Dry => Job.Dry.WithId("Dry"),
            RunMode.Full => Job.Default.WithId("Full"),
            _ => Job.Default,
        };

        // AsDefault: job options on the command line (--iterationCount 3, --job short ...) modify or replace
        // this job instead of adding a second one next to it.
        return config.AddJob(job.WithToolchain(BenchToolchain.Instance).AsDefault());
    }
}
