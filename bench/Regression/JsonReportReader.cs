using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Model;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// Reads BenchmarkDotNet JSON exports (brief or full; <c>*-report*.json</c>) into <see cref="MeasuredBenchmark"/>
/// rows, with System.Text.Json only.
/// </summary>
internal static class JsonReportReader
{
    /// <param name="path">One report file, or a folder of them (a run's <c>results</c> folder, bench/baseline).</param>
    /// <param name="catalog">Supplies each benchmark's role, which the export does not record.</param>
    /// <param name="unknown">Benchmarks in the reports that this build does not have; they are left out.</param>
    public static IReadOnlyList<MeasuredBenchmark> Read(string path, BenchmarkRoleCatalog catalog, out int unknown)
    {
        string[] files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*-report*.json").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"No report file or folder at '{path}'.", path);
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No *-report*.json file in '{path}'.", path);
        }

        var benchmarks = new List<MeasuredBenchmark>();
        var seen = new HashSet<string>();
        unknown = 0;
        foreach (string file in files)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (JsonElement entry in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                MeasuredBenchmark? benchmark = ReadEntry(entry, catalog);
                if (benchmark is null)
                {
                    unknown++;
                }
                else if (seen.Add(benchmark.Key))
                {
                    // A folder may hold the brief and the full report of one run: the first copy wins.
                    benchmarks.Add(benchmark);
                }
            }
        }

        return benchmarks;
    }

    /// <returns>Null for a benchmark this build does not know; failed benchmarks (no statistics) are unknown too.</returns>
    public static MeasuredBenchmark? ReadEntry(JsonElement entry, BenchmarkRoleCatalog catalog)
    {
        string? ns = StringOrNull(entry, "Namespace");
        string type = string.IsNullOrEmpty(ns) ? entry.GetProperty("Type").GetString()! : $"{ns}.{entry.GetProperty("Type").GetString()}";
        string method = entry.GetProperty("Method").GetString()!;
        if (catalog.RoleOf(type, method) is not BenchmarkRole role
            || !entry.TryGetProperty("Statistics", out JsonElement statistics)
            || statistics.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new MeasuredBenchmark(
            type,
            method,
            StringOrNull(entry, "Parameters") ?? string.Empty,
            role,
            statistics.GetProperty("Mean").GetDouble(),
            Metric(entry, MetricIds.AllocatedBytes) ?? BriefAllocatedBytes(entry),
            Metric(entry, MetricIds.LockContentions));
    }

    /// <summary>Brief reports carry no Metrics list, but do carry MemoryDiagnoser's figure.</summary>
    private static double? BriefAllocatedBytes(JsonElement entry) =>
        entry.TryGetProperty("Memory", out JsonElement memory)
        && memory.ValueKind == JsonValueKind.Object
        && memory.TryGetProperty("BytesAllocatedPerOperation", out JsonElement bytes)
        && bytes.ValueKind == JsonValueKind.Number
            ? bytes.GetDouble()
            : null;

    private static double? Metric(JsonElement entry, string id)
    {
        if (!entry.TryGetProperty("Metrics", out JsonElement metrics) || metrics.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement metric in metrics.EnumerateArray())
        {
            if (metric.GetProperty("Descriptor").GetProperty("Id").GetString() == id)
            {
                return metric.GetProperty("Value").GetDouble();
            }
        }

        return null;
    }

    private static string? StringOrNull(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
