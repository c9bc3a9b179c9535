using System.Collections.Generic;
using System.IO;
using Rendezvous.Channels.Benchmarks.Model;
using Rendezvous.Channels.Benchmarks.Regression;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public sealed class JsonReportReaderTests : System.IDisposable
{
    // The shape of BenchmarkDotNet's brief JSON export (statistics trimmed); a failed case has null Statistics.
    private const string BriefReport = """
        {
          "Title": "RingOneToOne",
          "Benchmarks": [
            { "Namespace": "Rendezvous.Channels.Benchmarks.Ring", "Type": "RingOneToOne", "Method": "BclBounded",
              "Parameters": "Capacity=16", "Statistics": { "Mean": 200.5 },
              "Memory": { "BytesAllocatedPerOperation": 11 } },
            { "Namespace": "Rendezvous.Channels.Benchmarks.Ring", "Type": "RingOneToOne", "Method": "RingBufferChannel",
              "Parameters": "Capacity=16", "Statistics": { "Mean": 150.25 },
              "Memory": { "BytesAllocatedPerOperation": 0 } },
            { "Namespace": "Rendezvous.Channels.Benchmarks.Ring", "Type": "RingOneToOne", "Method": "RingBufferChannel",
              "Parameters": "Capacity=1", "Statistics": null },
            { "Namespace": "Gone", "Type": "Renamed", "Method": "Away", "Parameters": "",
              "Statistics": { "Mean": 1 } }
          ]
        }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("bench-json-").FullName;

    [Fact]
    public void Reads_measured_cases_with_roles_from_this_builds_attributes()
    {
        File.WriteAllText(Path.Combine(_folder, "RingOneToOne-report-brief.json"), BriefReport);
        var catalog = BenchmarkRoleCatalog.FromAssembly(typeof(RatioComparer).Assembly);

        IReadOnlyList<MeasuredBenchmark> read = JsonReportReader.Read(_folder, catalog, out int unknown);

        Assert.Equal(2, unknown); // the failed case and the benchmark this build does not have
        Assert.Collection(
            read,
            baseline => Assert.Equal(
                new MeasuredBenchmark("Rendezvous.Channels.Benchmarks.Ring.RingOneToOne", "BclBounded", "Capacity=16", BenchmarkRole.Baseline, 200.5, 11, null),
                baseline),
            ours => Assert.Equal(
                new MeasuredBenchmark("Rendezvous.Channels.Benchmarks.Ring.RingOneToOne", "RingBufferChannel", "Capacity=16", BenchmarkRole.Ours, 150.25, 0, null),
                ours));
    }

    [Fact]
    public void A_folder_without_reports_is_an_error() =>
        Assert.Throws<FileNotFoundException>(() =>
            JsonReportReader.Read(_folder, new BenchmarkRoleCatalog([]), out _));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
