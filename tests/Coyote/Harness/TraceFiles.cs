using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>Keeps Coyote's reproducible traces of failures under the test output folder, for replay.</summary>
internal static class TraceFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "coyote-traces");

    /// <summary>Writes <paramref name="trace"/> to a new file named after the test and returns its path.</summary>
    public static string Save(string testName, string trace)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string safeName = FileNameOf(testName);
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        // A dot ends the name: FileNameOf never puts one in it.
        string path = Path.Combine(Directory, $"{safeName}.{stamp}.trace.json");
        File.WriteAllText(path, trace);
        return path;
    }

    /// <summary>Whether the trace at <paramref name="path"/> was saved by the test named <paramref name="testName"/>.</summary>
    public static bool BelongsTo(string path, string testName) =>
        Path.GetFileName(path).StartsWith(FileNameOf(testName) + ".", StringComparison.Ordinal);

    private static string FileNameOf(string testName) => new([.. testName.Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
