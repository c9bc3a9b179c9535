extern alias Controlled;
extern alias PlantedBugs;

using System.Reflection;
using Microsoft.Coyote.Rewriting;

namespace Rendezvous.Channels.Tests.Coyote.Harness;

/// <summary>
/// Fails a test whose code under test was not rewritten by Coyote: un-rewritten code runs outside Coyote's
/// control, every scenario then reports a spurious deadlock at once, and nothing explored means anything.
/// (tests/Coyote/CoyoteRewrite.targets rewrites them after every build.)
/// </summary>
internal static class RewritingGuard
{
    public static void AssertEverythingUnderTestIsRewritten()
    {
        AssertRewritten(typeof(RewritingGuard).Assembly);
        AssertRewritten(typeof(Controlled::Rendezvous.Channels.RendezvousChannel<int>).Assembly);
        AssertRewritten(typeof(PlantedBugs::Rendezvous.Channels.RendezvousChannel<int>).Assembly);
    }

    private static void AssertRewritten(Assembly assembly) =>
        Assert.True(
            RewritingEngine.IsAssemblyRewritten(assembly),
            $"{assembly.GetName().Name} is not rewritten by Coyote: build tests/Coyote (its CoyoteRewrite target rewrites it) before running it.");
}
