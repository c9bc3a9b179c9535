using System;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// A select's outcome as the scenarios see it, the same for either copy of the library: the clause that ended the
/// select (its index in the order the scenario added it), whether it is a write clause, whether its channel was
/// closed (with the completion error), and the item it took (read) or handed over (write); 0 when closed.
/// </summary>
internal readonly record struct SelectOutcome(int Clause, bool IsWrite, bool IsClosed, Exception? CompletionError, int Item)
{
    public override string ToString() =>
        IsClosed
            ? $"clause {Clause} closed ({CompletionError?.Message ?? "no error"})"
            : $"clause {Clause} {(IsWrite ? "wrote" : "read")} {Item}";
}
