using BenchmarkDotNet.Toolchains;
using BenchmarkDotNet.Toolchains.DotNetCli;

namespace Rendezvous.Channels.Benchmarks.Running;

/// <summary>
/// The default out-of-process .NET toolchain (a generated project built with the dotnet CLI, one process per
/// benchmark case; a null CLI path means the dotnet on PATH), except that it finds bench/Bench.csproj: see <see cref="BenchProjectGenerator"/>.
/// </summary>
internal static class BenchToolchain
{
    private const string TargetFramework = "net10.0";

    public static IToolchain Instance { get; } = new Toolchain(
        ".NET 10.0",
        new BenchProjectGenerator(TargetFramework),
        new DotNetCliBuilder(TargetFramework, customDotNetCliPath: null!, logOutput: false),
        new DotNetCliExecutor(customDotNetCliPath: null!));
}
