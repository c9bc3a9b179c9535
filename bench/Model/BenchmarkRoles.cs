using System.Collections.Generic;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>Derives a <see cref="BenchmarkRole"/> from what BenchmarkDotNet's attributes say about a method.</summary>
internal static class BenchmarkRoles
{
    public static BenchmarkRole Of(bool isBaseline, IEnumerable<string> categories) =>
        isBaseline ? BenchmarkRole.Baseline
        : categories.Contains(RoleCategory.Ours) ? BenchmarkRole.Ours
        : BenchmarkRole.Reference;
}
