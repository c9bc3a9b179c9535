using System.Threading;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>A <c>ReadAnySelector&lt;int&gt;</c> of one copy of the library (see <see cref="ISelector"/> for why).</summary>
internal interface IReadAnySelector
{
    bool TryRead(out int index, out int item);

    ValueTask<(int Index, int Item)> ReadAsync(CancellationToken cancellationToken = default);
}
