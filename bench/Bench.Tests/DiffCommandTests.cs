using System;
using Rendezvous.Channels.Benchmarks.Regression;
using Xunit;

namespace Rendezvous.Channels.Benchmarks.Tests;

public class DiffCommandTests
{
    [Fact]
    public void Defaults_to_a_ten_percent_threshold_and_no_failure()
    {
        DiffCommand options = DiffCommand.Parse(["old", "new"]);

        Assert.Equal(new DiffCommand("old", "new", 0.10, FailOnRegression: false), options);
    }

    [Theory]
    [InlineData("25%")]
    [InlineData("25")]
    public void Reads_the_threshold_as_a_percentage(string threshold)
    {
        DiffCommand options = DiffCommand.Parse(["old", "--threshold", threshold, "new", "--fail-on-regression"]);

        Assert.Equal(new DiffCommand("old", "new", 0.25, FailOnRegression: true), options);
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
