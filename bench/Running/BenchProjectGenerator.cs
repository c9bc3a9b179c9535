using System;
using System.IO;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.CsProj;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>
/// BenchmarkDotNet's project generator, told where our project is. By default it looks for a project file
/// named after the assembly (Rendezvous.Channels.Benchmarks.csproj); ours is bench/Bench.csproj, so the default
/// lookup fails. The path is recorded at build time (AssemblyMetadata "BenchProjectPath" in Bench.csproj).
/// </summary>
/// <remarks>The nulls mean "the defaults" (the dotnet on PATH, no custom package folder), as in BenchmarkDotNet's own settings.</remarks>
internal sealed class BenchProjectGenerator(string targetFrameworkMoniker)
    : CsProjGenerator(targetFrameworkMoniker, cliPath: null!, packagesPath: null!, runtimeFrameworkVersion: null!, isNetCore: true)
{
    protected override FileInfo GetProjectFilePath(Type benchmarkTarget, ILogger logger)
    {
        string? path = benchmarkTarget.Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BenchProjectPath")?.Value;
        return path is not null && File.Exists(path)
            ? new FileInfo(path)
            : base.GetProjectFilePath(benchmarkTarget, logger);
    }
}
