using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rendezvous.Channels.Benchmarks.Citizenship;

/// <summary>
/// A snapshot of this process's CPU time and context switches (Linux <c>getrusage(RUSAGE_SELF)</c>: every thread,
/// exited ones included). <c>/proc/self/status</c> would not do: its switch counts are the main thread's alone.
/// Elsewhere the CPU time comes from <see cref="Process.TotalProcessorTime"/> and the switches are unknown (NaN).
/// </summary>
internal readonly record struct ProcessUsage(TimeSpan ProcessorTime, double ContextSwitches)
{
    private const int RusageSelf = 0;

    /// <summary>struct rusage on 64-bit Linux: 2 timevals (4 longs), then 14 longs; ru_nvcsw and ru_nivcsw are the last two.</summary>
    private const int RusageLongs = 18;

    public static ProcessUsage Now()
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)
        {
            long[] usage = new long[RusageLongs];
            if (NativeMethods.getrusage(RusageSelf, usage) == 0)
            {
                long microseconds = ((usage[0] + usage[2]) * 1_000_000) + usage[1] + usage[3];
                return new ProcessUsage(TimeSpan.FromMicroseconds(microseconds), usage[16] + usage[17]);
            }
        }

        using Process self = Process.GetCurrentProcess();
        return new ProcessUsage(self.TotalProcessorTime, double.NaN);
    }

    /// <summary>What the process used between <paramref name="before"/> and this snapshot.</summary>
    public ProcessUsage Since(ProcessUsage before) =>
        new(ProcessorTime - before.ProcessorTime, ContextSwitches - before.ContextSwitches);

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which the bench project does not allow.
        public static extern int getrusage(int who, [Out] long[] usage);
#pragma warning restore SYSLIB1054
    }
}
