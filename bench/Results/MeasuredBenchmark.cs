using System;
using System.Collections.Generic;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Workloads;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// One benchmark case's per-operation figures, whether read from a live BenchmarkDotNet summary or from an
/// exported JSON report, so the comparison table and the regression check share one pairing logic.
/// </summary>
/// <param name="Type">The benchmark class's full name; with <paramref name="Parameters"/> it names the group.</param>
/// <param name="Method">The benchmark method, e.g. <c>Ours</c> or <c>BclBounded</c>.</param>
/// <param name="Parameters">The parameters, e.g. <c>Capacity=16, Workload=OneToOne</c> (see <see cref="ParametersText"/>).</param>
/// <param name="Role">Baseline, ours, reference or floor, from the method's attributes.</param>
/// <param name="NanosecondsPerOperation">Mean time per operation (OperationsPerInvoke already divided out).</param>
/// <param name="BytesPerOperation">Managed bytes allocated per operation; null when not measured.</param>
/// <param name="LockContentionsPerOperation">Monitor lock contentions per operation; null when not measured.</param>
/// <param name="StandardError">The standard error of <paramref name="NanosecondsPerOperation"/>; null when unknown.</param>
/// <param name="SampleCount">How many measured iterations (over all launches) the mean is of; null when unknown.</param>
internal sealed record MeasuredBenchmark(
    string Type,
    string Method,
    string Parameters,
    BenchmarkRole Role,
    double NanosecondsPerOperation,
    double? BytesPerOperation,
    double? LockContentionsPerOperation,
    double? StandardError = null,
    int? SampleCount = null)
{
    /// <summary>The standard error relative to the mean, when it and the sample count are known (and there are at least 2).</summary>
    public double? RelativeStandardError =>
        StandardError is double error && SampleCount >= 2 && NanosecondsPerOperation > 0 ? error / NanosecondsPerOperation : null;

    /// <summary>The class name without its namespace, for tables.</summary>
    public string ShortType => Type[(Type.LastIndexOf('.') + 1)..];

    /// <summary>Benchmarks with the same group key are compared with the same baseline.</summary>
    public string GroupKey => $"{Type}|{Parameters}";

    /// <summary>Identifies the benchmark case across runs.</summary>
    public string Key => $"{Type}.{Method}|{Parameters}";

    /// <summary>BenchmarkDotNet's parameter text (<c>Capacity=16&amp;Workload=OneToOne</c>, live and in JSON alike) as tables show it.</summary>
    public static string ParametersText(string printInfo) => printInfo.Replace("&", ", ", StringComparison.Ordinal);

    /// <summary>The role BenchmarkDotNet's attributes give a method: its baseline flag, then its categories.</summary>
    public static BenchmarkRole RoleOf(bool isBaseline, IEnumerable<string> categories) =>
        isBaseline ? BenchmarkRole.Baseline
        : categories.Contains(ChannelSuite.OursCategory) ? BenchmarkRole.Ours
        : categories.Contains(ChannelSuite.FloorCategory) ? BenchmarkRole.Floor
        : BenchmarkRole.Reference;
}
