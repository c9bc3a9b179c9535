using System;
using Rendezvous.Channels.Benchmarks.Regression;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public class DiffCommandTests
{
    [Fact]
    public void Defaults_to_a_fifteen_percent_threshold_99_percent_intervals_and_no_failure()
    {
        DiffCommand options = DiffCommand.Parse(["old", "new"]);

        Assert.Equal(new DiffCommand("old", "new", 0.15, FailOnRegression: false, Confidence: 0.99), options);
    }

    [Theory]
    [InlineData("25%")]
    [InlineData("25")]
    public void Reads_the_threshold_as_a_percentage(string threshold)
    {
        DiffCommand options = DiffCommand.Parse(["old", "--threshold", threshold, "new", "--fail-on-regression"]);

        Assert.Equal(new DiffCommand("old", "new", 0.25, FailOnRegression: true), options);
    }

    [Fact]
    public void Reads_the_confidence_level_as_a_percentage()
    {
        Assert.Equal(0.95, DiffCommand.Parse(["old", "new", "--confidence", "95%"]).Confidence, precision: 10);
        Assert.Throws<FormatException>(() => DiffCommand.Parse(["old", "new", "--confidence", "100%"]));
    }

    [Theory]
    [InlineData("only-one")]
    [InlineData("a", "b", "c")]
    [InlineData("a", "b", "--threshold")]
    [InlineData("a", "b", "--threshold", "ten")]
    [InlineData("a", "b", "--unknown")]
    public void Rejects_arguments_that_do_not_fit_the_usage(params string[] args) =>
        Assert.Throws<FormatException>(() => DiffCommand.Parse(args));
}
