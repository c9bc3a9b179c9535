using System;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// A concurrent use of a select over channels A and B (<see cref="SelectSetup"/>), written against
/// <see cref="ISelector"/> so that it runs on the real copy of the library and on the planted-bug copy, with an
/// oracle on the items. <paramref name="Channels"/> are the channel pairs it is run on.
/// </summary>
internal sealed record SelectScenario(string Name, Func<SelectSetup, Task> RunAsync, SelectChannels[] Channels)
{
    public override string ToString() => Name;
}
