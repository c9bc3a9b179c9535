using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// The part of a BenchmarkDotNet JSON export (<c>*-report-brief.json</c> or the full <c>*-report-full.json</c>)
/// that <c>diff</c> reads, as typed records for System.Text.Json. Every other field of the export is ignored.
/// </summary>
internal sealed record JsonReport(IReadOnlyList<JsonReport.Case> Benchmarks)
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        // A field missing or null against these records is a malformed report: a JsonException, not a silent zero.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// Reads every benchmark case that was measured and that this build still has (by
    /// <c>Namespace.Type.Method</c>); the others are counted in <paramref name="unknown"/> and left out.
    /// </summary>
    /// <param name="path">One report file, or a folder of them (a run's <c>results</c> folder, bench/baseline).</param>
    /// <param name="roles">Each benchmark method's role (see <see cref="RolesIn"/>): the export does not record it.</param>
    public static IReadOnlyList<MeasuredBenchmark> Read(
        string path, IReadOnlyDictionary<string, BenchmarkRole> roles, out int unknown)
    {
        string[] files = Directory.Exists(path)
            ? [.. Directory.GetFiles(path, "*-report*.json").Order(StringComparer.Ordinal)]
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"No report file or folder at '{path}'.", path);
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No *-report*.json file in '{path}'.", path);
        }

        unknown = 0;
        var benchmarks = new List<MeasuredBenchmark>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            JsonReport report = JsonSerializer.Deserialize<JsonReport>(File.ReadAllText(file), s_options)
                ?? throw new JsonException($"'{file}' holds no report.");
            foreach (Case entry in report.Benchmarks)
            {
                string type = string.IsNullOrEmpty(entry.Namespace) ? entry.Type : $"{entry.Namespace}.{entry.Type}";
                if (entry.Statistics is null || !roles.TryGetValue($"{type}.{entry.Method}", out BenchmarkRole role))
                {
                    unknown++; // failed (no statistics), or renamed or removed since the report was made
                    continue;
                }

                var benchmark = new MeasuredBenchmark(
                    type,
                    entry.Method,
                    MeasuredBenchmark.ParametersText(entry.Parameters),
                    role,
                    entry.Statistics.Mean,
                    entry.Memory?.BytesAllocatedPerOperation,
                    null,
                    entry.Statistics.StandardError,
                    entry.Statistics.N);

                // A folder may hold the brief and the full report of one run: the first copy wins.
                if (seen.Add(benchmark.Key))
                {
                    benchmarks.Add(benchmark);
                }
            }
        }

        return benchmarks;
    }

    /// <summary>
    /// The role of every benchmark method in <paramref name="assembly"/>, by <c>Namespace.Type.Method</c>, read
    /// from its attributes, which stay the single source of truth (the JSON records neither baseline nor categories).
    /// </summary>
    public static Dictionary<string, BenchmarkRole> RolesIn(Assembly assembly)
    {
        var roles = new Dictionary<string, BenchmarkRole>(StringComparer.Ordinal);
        foreach (Type type in assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract))
        {
            IEnumerable<string> classCategories = type.GetCustomAttributes<BenchmarkCategoryAttribute>(inherit: true)
                .SelectMany(a => a.Categories);
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<BenchmarkAttribute>() is { } benchmark)
                {
                    IEnumerable<string> categories = method.GetCustomAttributes<BenchmarkCategoryAttribute>(inherit: true)
                        .SelectMany(a => a.Categories)
                        .Concat(classCategories);
                    roles[$"{type.FullName}.{method.Name}"] = MeasuredBenchmark.RoleOf(benchmark.Baseline, categories);
                }
            }
        }

        return roles;
    }

    /// <summary>One benchmark case. <paramref name="Statistics"/> is null when the case failed.</summary>
    /// <param name="Parameters">BenchmarkDotNet's parameter text, e.g. <c>Capacity=16&amp;Workload=OneToOne</c>; empty when none.</param>
    /// <param name="Namespace">The benchmark class's namespace; absent for the global one.</param>
    /// <param name="Memory">MemoryDiagnoser's figures; absent without it.</param>
    internal sealed record Case(
        string Type, string Method, string Parameters, Measurement? Statistics, string? Namespace = null, Allocation? Memory = null);

    /// <summary>
    /// Time per operation, in nanoseconds (OperationsPerInvoke already divided out): the mean of <paramref name="N"/>
    /// measured iterations (over all launches) and its standard error, from which diff builds confidence intervals.
    /// </summary>
    internal sealed record Measurement(double Mean, double? StandardError = null, int? N = null);

    /// <summary>Null bytes when the case failed.</summary>
    internal sealed record Allocation(double? BytesAllocatedPerOperation);
}
