using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Rendezvous.Channels.Benchmarks.Guard;
using Rendezvous.Channels.Benchmarks.Workloads;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

/// <summary>The guard's plumbing: its cases, its report files, its arguments, the committed baseline (no timing).</summary>
public sealed class GuardCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("guard-tests-").FullName;

    [Fact]
    public void The_guard_covers_every_case_of_both_suites_once()
    {
        string[] names = [.. GuardCase.All.Select(c => c.Name)];

        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(new RendezvousSuite().Workloads.Count(), GuardCase.All.Count(c => c.Family == ChannelFamily.Rendezvous));
        Assert.Equal(3 * new RingSuite().Workloads.Count(), GuardCase.All.Count(c => c.Family == ChannelFamily.Ring));
        Assert.Contains("Ring(16) OneToOne", names);
        Assert.All(GuardCase.All, c => Assert.Equal(0, c.OperationsPerRound % 4));
    }

    [Fact]
    public void The_buffered_rings_streams_are_watched_and_everything_else_is_judged_on_time()
    {
        string[] watched = [.. GuardCase.All.Where(c => !c.TimeJudged).Select(c => c.Name)];

        Assert.Equal(8, watched.Length);
        Assert.All(watched, name => Assert.Matches(@"^Ring\((16|1024)\) (OneToOne|FourToFour|CancelableToken|ReadAll)$", name));
        Assert.True(GuardCase.IsTimeJudged("Ring(1) OneToOne"));
        Assert.False(GuardCase.IsTimeJudged("Ring(1024) ReadAll"));
        Assert.True(GuardCase.IsTimeJudged("a case this build does not have"));
    }

    [Fact]
    public void The_committed_baseline_names_only_cases_of_this_build_measured_over_several_launches()
    {
        GuardReport baseline = GuardReport.Read(FindCommittedBaseline());

        // A case added since the recording is "only in new" until the next one (guard --dry lists it); a case in the
        // baseline that this build lacks is a rename or a removal that the baseline must follow.
        Assert.Subset(GuardCase.All.Select(c => c.Name).ToHashSet(), baseline.Cases.Select(c => c.Case).ToHashSet());
        Assert.True(baseline.Launches >= 3, "a baseline needs launches to estimate their spread");
        Assert.All(baseline.Cases, c => Assert.Equal(baseline.Launches * baseline.Rounds, c.Ours.Count));
        Assert.Null(baseline.Slowdown);
    }

    [Fact]
    public void A_report_reads_back_as_written()
    {
        var report = new GuardReport(
            DateTimeOffset.UnixEpoch, "m", "OneToOne:30", Rounds: 2, Launches: 1, [new CaseSample("c", 16384, 2, 0.25, [1.5, 2], [3, 4])]);
        string path = Path.Combine(_folder, "sub", "guard.json");

        report.Write(path);
        GuardReport read = GuardReport.Read(path);

        CaseSample sample = Assert.Single(read.Cases);
        Assert.Equal((report.Slowdown, report.Rounds, report.Launches), (read.Slowdown, read.Rounds, read.Launches));
        Assert.Equal([1.5, 2], sample.Ours);
        Assert.Equal([3, 4], sample.Bcl);
        Assert.Equal((0.25, 2), (sample.BytesPerOperation, sample.RoundsPerLaunch));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"Rounds":1,"Launches":1,"Cases":[{"Case":"c","Ours":[1,2],"Bcl":[1]}]}""")]
    [InlineData("""{"Rounds":1,"Launches":0,"Cases":[{"Case":"c","RoundsPerLaunch":1,"Ours":[1],"Bcl":[1]}]}""")]
    [InlineData("""{"Rounds":1,"Launches":1,"Cases":[{"Case":"c","Ours":[1],"Bcl":[1]}]}""")]
    public void A_file_that_is_not_a_guard_report_is_an_error(string json)
    {
        string path = Path.Combine(_folder, "bad.json");
        File.WriteAllText(path, json);

        Assert.Throws<JsonException>(() => GuardReport.Read(path));
    }

    [Fact]
    public void Arguments_parse_and_a_recording_defaults_to_more_launches()
    {
        GuardCommand check = GuardCommand.Parse(["--baseline", "b.json", "--rounds", "7", "--launches", "4", "--threshold", "25%", "--filter", "Ring"]);
        GuardCommand saved = GuardCommand.Parse(["--report", "run.json"]);
        GuardCommand record = GuardCommand.Parse(["--record"]);

        Assert.Equal(("b.json", 7, 4, 0.25, "Ring", false), (check.BaselinePath, check.Rounds, check.Launches, check.Threshold, check.Filter, check.Record));
        Assert.Equal("run.json", saved.ReportPath);
        Assert.Equal((true, GuardReport.DefaultPath, null), (record.Record, record.BaselinePath, record.Launches));
    }

    [Theory]
    [InlineData("--record", "--dry")]
    [InlineData("--rounds", "0")]
    [InlineData("--launches", "many")]
    [InlineData("--threshold", "-5%")]
    [InlineData("--alpha", "60%")]
    [InlineData("--rounds")]
    [InlineData("--bogus")]
    [InlineData("--report", "run.json", "--record")]
    [InlineData("--dry", "--report", "run.json")]
    public void Bad_arguments_are_an_error(params string[] args) =>
        Assert.Throws<FormatException>(() => GuardCommand.Parse(args));

    [Fact]
    public void A_planted_slowdown_narrowed_to_a_family_slows_that_family_only()
    {
        Assert.Equal(21300, PlantedSlowdown.ItemsFor("Ring.OneToOne:30", ChannelFamily.Ring, Workload.OneToOne, 16384));
        Assert.Equal(16384, PlantedSlowdown.ItemsFor("Ring.OneToOne:30", ChannelFamily.Rendezvous, Workload.OneToOne, 16384));
        Assert.Equal(21300, PlantedSlowdown.ItemsFor("rendezvous.OneToOne:30", ChannelFamily.Rendezvous, Workload.OneToOne, 16384));
        Assert.Equal(16384, PlantedSlowdown.ItemsFor("Rendezvous.OneToOne:30", ChannelFamily.Ring, Workload.OneToOne, 16384));
        Assert.Equal(21300, PlantedSlowdown.ItemsFor("OneToOne:30", ChannelFamily.Ring, Workload.OneToOne, 16384)); // unnarrowed: both
        var ring = new RingBufferChannel<int>(4);
        var rendezvous = new RendezvousChannel<int>();
        Assert.Equal(ChannelFamily.Ring, PlantedSlowdown.FamilyOf(ring));
        Assert.Equal(ChannelFamily.Rendezvous, PlantedSlowdown.FamilyOf(rendezvous));
        ring.Writer.Complete();
        rendezvous.Writer.Complete();
    }

    [Theory]
    [InlineData("Nope.OneToOne:30")]
    [InlineData("Ring.Rendezvous.OneToOne:30")]
    [InlineData("Ring.:30")]
    [InlineData("2.OneToOne:30")]
    public void A_malformed_family_is_an_error_not_a_silent_no_op(string setting) =>
        Assert.Throws<FormatException>(() => PlantedSlowdown.ItemsFor(setting, ChannelFamily.Ring, Workload.OneToOne, 16384));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string FindCommittedBaseline()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, GuardReport.DefaultPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{GuardReport.DefaultPath} not found above {AppContext.BaseDirectory}");
    }
}
