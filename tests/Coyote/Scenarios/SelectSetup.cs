using System.Threading.Channels;
using Microsoft.Coyote.Random;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// What one iteration of a select scenario works with: fresh channels A and B of one copy of the library, and
/// selectors of that copy whose clause order Coyote chooses (made inside the iteration, so the choice is one of
/// Coyote's controlled, replayable ones).
/// </summary>
internal sealed class SelectSetup
{
    private readonly SelectLibrary _library;
    private readonly Generator _choices = Generator.Create();

    public SelectSetup(SelectLibrary library, SelectChannels channels)
    {
        _library = library;
        A = library.CreateChannel(channels.CapacityA);
        B = library.CreateChannel(channels.CapacityB);
    }

    /// <summary>A rendezvous channel. Items written to it are 11, 12, … (tens digit 1).</summary>
    public Channel<int> A { get; }

    /// <summary>A rendezvous channel or a ring buffer of capacity 1. Items written to it are 21, 22, … (tens digit 2).</summary>
    public Channel<int> B { get; }

    /// <summary>A biased selector whose clause order (as added, or reversed) Coyote chooses.</summary>
    public ISelector NewSelector() => _library.CreateSelector(Coin() ? SelectorOrder.AsAdded : SelectorOrder.Reversed);

    /// <summary>A biased read-any selector whose reader order Coyote chooses.</summary>
    public IReadAnySelector NewReadAny(params ChannelReader<int>[] readers) =>
        _library.CreateReadAny(readers, Coin() ? SelectorOrder.AsAdded : SelectorOrder.Reversed);

    /// <summary>A choice Coyote makes (and replays).</summary>
    public bool Coin() => _choices.NextBoolean();

    /// <summary>A choice among <paramref name="count"/> that Coyote makes (and replays).</summary>
    public int Choose(int count) => _choices.NextInteger(count);
}
