using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Rendezvous.Channels.Benchmarks.Model;

namespace Rendezvous.Channels.Benchmarks.Regression;

/// <summary>
/// The role of every benchmark method of this build, read from its attributes. BenchmarkDotNet's JSON export
/// records neither the baseline flag nor categories, so the regression check takes them from the code: the
/// attributes stay the single source of truth.
/// </summary>
internal sealed class BenchmarkRoleCatalog
{
    private readonly Dictionary<string, BenchmarkRole> _roles;

    /// <param name="roles">Role by <c>Namespace.Type.Method</c>.</param>
    public BenchmarkRoleCatalog(Dictionary<string, BenchmarkRole> roles) => _roles = roles;

    public static BenchmarkRoleCatalog FromAssembly(Assembly assembly)
    {
        var roles = new Dictionary<string, BenchmarkRole>();
        foreach (System.Type type in assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract))
        {
            IEnumerable<string> classCategories = type.GetCustomAttributes<BenchmarkCategoryAttribute>(inherit: true)
                .SelectMany(a => a.Categories);
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.GetCustomAttribute<BenchmarkAttribute>() is not { } benchmark)
                {
                    continue;
                }

                IEnumerable<string> categories = method.GetCustomAttributes<BenchmarkCategoryAttribute>(inherit: true)
                    .SelectMany(a => a.Categories)
                    .Concat(classCategories);
                roles[$"{type.FullName}.{method.Name}"] = BenchmarkRoles.Of(benchmark.Baseline, categories);
            }
        }

        return new BenchmarkRoleCatalog(roles);
    }

    /// <returns>Null when this build has no such benchmark (renamed or removed since the report was made).</returns>
    public BenchmarkRole? RoleOf(string type, string method) =>
        _roles.TryGetValue($"{type}.{method}", out BenchmarkRole role) ? role : null;
}
