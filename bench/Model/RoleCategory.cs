namespace Rendezvous.Channels.Benchmarks.Model;

/// <summary>
/// The <c>[BenchmarkCategory]</c> names that say whose channel a benchmark method runs. The comparison table
/// and the regression check read them to tell our rows from the BCL's; they also work as filters
/// (<c>--anyCategories Ours</c>).
/// </summary>
internal static class RoleCategory
{
    /// <summary>A channel (or ring variant) of this project.</summary>
    public const string Ours = "Ours";

    /// <summary>A System.Threading.Channels channel: the baseline, or an extra reference row.</summary>
    public const string Bcl = "Bcl";
}
