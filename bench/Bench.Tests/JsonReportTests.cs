using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Results;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public sealed class JsonReportTests : IDisposable
{
    private const string Suite = "Rendezvous.Channels.Benchmarks.Workloads.RingSuite";

    // The shape of BenchmarkDotNet's brief JSON export (fields trimmed); a failed case has null Statistics.
    private const string BriefReport = """
        {
          "Title": "RingSuite",
          "Benchmarks": [
            { "Namespace": "Rendezvous.Channels.Benchmarks.Workloads", "Type": "RingSuite", "Method": "BclBounded",
              "Parameters": "Capacity=16&Workload=OneToOne", "Statistics": { "Mean": 200.5, "Median": 1 },
              "Memory": { "Gen0Collections": 0, "BytesAllocatedPerOperation": 11 } },
            { "Namespace": "Rendezvous.Channels.Benchmarks.Workloads", "Type": "RingSuite", "Method": "Ours",
              "Parameters": "Capacity=16&Workload=OneToOne", "Statistics": { "Mean": 150.25 },
              "Memory": { "BytesAllocatedPerOperation": 0 } },
            { "Namespace": "Rendezvous.Channels.Benchmarks.Workloads", "Type": "RingSuite", "Method": "Ours",
              "Parameters": "Capacity=1&Workload=OneToOne", "Statistics": null,
              "Memory": { "TotalOperations": 0, "BytesAllocatedPerOperation": null } },
            { "Namespace": "Gone", "Type": "Renamed", "Method": "Away", "Parameters": "",
              "Statistics": { "Mean": 1 } }
          ]
        }
        """;

    private static readonly Dictionary<string, BenchmarkRole> s_roles = JsonReport.RolesIn(typeof(RatioComparer).Assembly);

    private readonly string _folder = Directory.CreateTempSubdirectory("bench-json-").FullName;

    [Fact]
    public void Reads_measured_cases_with_roles_from_this_builds_attributes()
    {
        File.WriteAllText(Path.Combine(_folder, "RingSuite-report-brief.json"), BriefReport);

        IReadOnlyList<MeasuredBenchmark> read = JsonReport.Read(_folder, s_roles, out int unknown);

        Assert.Equal(2, unknown); // the failed case and the benchmark this build does not have
        Assert.Equal(
            [
                new MeasuredBenchmark(Suite, "BclBounded", "Capacity=16, Workload=OneToOne", BenchmarkRole.Baseline, 200.5, 11, null),
                new MeasuredBenchmark(Suite, "Ours", "Capacity=16, Workload=OneToOne", BenchmarkRole.Ours, 150.25, 0, null),
            ],
            read);
    }

    [Fact]
    public void Reads_the_standard_error_and_sample_count_that_the_intervals_need()
    {
        File.WriteAllText(
            Path.Combine(_folder, "RingSuite-report-brief.json"),
            """
            { "Benchmarks": [ { "Namespace": "Rendezvous.Channels.Benchmarks.Workloads", "Type": "RingSuite", "Method": "Ours",
              "Parameters": "Capacity=16&Workload=OneToOne", "Statistics": { "Mean": 150.25, "StandardError": 3.5, "N": 15 } } ] }
            """);

        MeasuredBenchmark read = Assert.Single(JsonReport.Read(_folder, s_roles, out _));

        Assert.Equal((3.5, 15), (read.StandardError, read.SampleCount));
    }

    [Fact]
    public void Roles_come_from_the_attributes_including_inherited_benchmark_methods()
    {
        Assert.Equal(BenchmarkRole.Ours, s_roles[$"{Suite}.Ours"]);
        Assert.Equal(BenchmarkRole.Baseline, s_roles[$"{Suite}.BclBounded"]);
        Assert.Equal(BenchmarkRole.Reference, s_roles["Rendezvous.Channels.Benchmarks.Workloads.RendezvousSuite.BclUnbounded"]);
        Assert.Equal(BenchmarkRole.Floor, s_roles["Rendezvous.Channels.Benchmarks.Workloads.RendezvousSuite.AsyncFloor"]);
        Assert.DoesNotContain(s_roles.Keys, key => key.Contains("ChannelSuite", StringComparison.Ordinal)); // abstract
    }

    [Fact]
    public void A_report_missing_a_required_field_is_a_json_error_not_a_zero()
    {
        File.WriteAllText(
            Path.Combine(_folder, "Broken-report-brief.json"),
            """{ "Benchmarks": [ { "Type": "RingSuite", "Method": "Ours", "Parameters": "", "Statistics": { } } ] }""");

        Assert.ThrowsAny<JsonException>(() => JsonReport.Read(_folder, s_roles, out _));
    }

    [Fact]
    public void A_folder_without_reports_is_an_error() =>
        Assert.Throws<FileNotFoundException>(() => JsonReport.Read(_folder, s_roles, out _));

    [Fact]
    public void The_committed_baseline_names_only_benchmarks_this_build_has()
    {
        string baseline = FindBaseline();

        IReadOnlyList<MeasuredBenchmark> read = JsonReport.Read(baseline, s_roles, out int unknown);

        // Every row of ours in it has its baseline, so diff against it judges every one.
        Assert.Equal(0, unknown);
        IReadOnlyList<RatioChange> changes = RatioComparer.Compare(read, read, DiffCommand.DefaultThreshold);
        Assert.Equal(read.Count(b => b.Role == BenchmarkRole.Ours), changes.Count);
        Assert.All(changes, change => Assert.Equal(ChangeVerdict.Same, change.Verdict));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>bench/baseline, found by walking up from the test assembly's folder.</summary>
    private static string FindBaseline()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "bench", "baseline");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("bench/baseline not found above " + AppContext.BaseDirectory);
    }
}
