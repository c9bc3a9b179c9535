using System;
using System.Threading.Channels;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// One copy of the library as the select scenarios use it: its channels and its selectors. A selector only takes
/// clauses on channels of its own copy, so a scenario makes both from the same <see cref="SelectLibrary"/>.
/// </summary>
/// <param name="Name">"Controlled" or "PlantedBugs".</param>
/// <param name="CreateChannel">A fresh channel: a rendezvous channel for capacity 0, else a ring buffer of that capacity.</param>
/// <param name="CreateSelector">A selector; the order says how it holds the clauses (<see cref="SelectorOrder"/>).</param>
/// <param name="CreateReadAny">A <c>ReadAnySelector&lt;int&gt;</c> over the readers, holding them in the order asked for.</param>
internal sealed record SelectLibrary(
    string Name,
    Func<int, Channel<int>> CreateChannel,
    Func<SelectorOrder, ISelector> CreateSelector,
    Func<ChannelReader<int>[], SelectorOrder, IReadAnySelector> CreateReadAny)
{
    public override string ToString() => Name;
}
