using System;
using System.Linq;
using Rendezvous.Channels.Benchmarks.Regression;
using Rendezvous.Channels.Benchmarks.Rounds;
using Rendezvous.Channels.Benchmarks.Running;

namespace Rendezvous.Channels.Benchmarks;

/// <summary>Entry point: the first word picks the command; see bench/README.md.</summary>
internal static class Program
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench -- <command> [arguments]

          compare [BenchmarkDotNet args]   short job (a few minutes), then a table of us vs the BCL
          full    [BenchmarkDotNet args]   BenchmarkDotNet's default job (long; numbers worth publishing)
          dry     [BenchmarkDotNet args]   every benchmark once (CI); exits 1 if any benchmark failed
          rounds  [--rounds N] [--mode threadpool|chained]
                                           rendezvous vs CreateBounded(0) in one process, interleaved round by round
                                           (ping-pong, 1->1, 4->4); prints medians of the per-round ratios
          citizenship [--quick] [--service-seconds S]
                                           five scenarios: what continuation scheduling costs the rest of
                                           the process, BCL vs ours (default) vs ours (Chained); a markdown table
          storm [--seconds S]              a storm of random cancellations on both sides, CreateBounded(0)/(16) vs
                                           ours, S seconds each; audits every item (lost, delivered after canceled)
          guard [--record] [--dry] [--baseline FILE] [--launches L] [--rounds N] [--filter TEXT] [--report RUN.json]
                                           the regression check: every case, ours and the BCL interleaved round by
                                           round in L fresh processes, judged launch by launch against
                                           bench/baseline/guard.json (exit 1 on a regression); --record rewrites it
          diff <baseline.json|dir> <new.json|dir> [--threshold 15%] [--confidence 99%] [--fail-on-regression]
                                           compares the ours/baseline time ratios of two JSON exports
          <BenchmarkDotNet args>           anything else goes to BenchmarkSwitcher as is (e.g. --list flat)

        BenchmarkDotNet args, e.g.: --filter *RingSuite* | --anyCategories Ours | --list flat
        """;

    private static int Main(string[] args)
    {
        string[] rest = args.Skip(1).ToArray();
        switch (args.FirstOrDefault())
        {
            case null or "help" or "-h" or "--help":
                Console.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            case "compare":
                return BenchmarkRun.Execute(RunMode.Compare, rest, Console.Out);
            case "full":
                return BenchmarkRun.Execute(RunMode.Full, rest, Console.Out);
            case "dry":
                return BenchmarkRun.Execute(RunMode.Dry, rest, Console.Out);
            case "rounds":
                return RoundsCommand.Execute(rest, Console.Out);
            case "citizenship":
                return Citizenship.CitizenshipCommand.Execute(rest, Console.Out);
            case "storm":
                return Storm.StormCommand.Execute(rest, Console.Out);
            case "guard":
                return Guard.GuardCommand.Execute(rest, Console.Out);
            case "diff":
                return DiffCommand.Execute(rest, Console.Out);
            default:
                return BenchmarkRun.Execute(RunMode.PassThrough, args, Console.Out);
        }
    }
}
