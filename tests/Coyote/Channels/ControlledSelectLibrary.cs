extern alias Controlled;

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using RendezvousChannel = Controlled::Rendezvous.Channels.RendezvousChannel<int>;
using RingBufferChannel = Controlled::Rendezvous.Channels.RingBufferChannel<int>;
using ChannelSelector = Controlled::Rendezvous.Channels.ChannelSelector;
using ReadAnySelector = Controlled::Rendezvous.Channels.ReadAnySelector<int>;
using SelectClause = Controlled::Rendezvous.Channels.SelectClause;
using SelectFairness = Controlled::Rendezvous.Channels.SelectFairness;
using SelectReadClause = Controlled::Rendezvous.Channels.SelectReadClause<int>;
using SelectResult = Controlled::Rendezvous.Channels.SelectResult;
using SelectWriteClause = Controlled::Rendezvous.Channels.SelectWriteClause<int>;

namespace Rendezvous.Channels.Tests.Coyote.Channels;

/// <summary>
/// The real library's select (ControlledLibrary/) behind <see cref="ISelector"/>. Its twin,
/// <see cref="PlantedBugSelectLibrary"/>, is the same code over the planted-bug copy's types: keep them alike.
/// </summary>
internal static class ControlledSelectLibrary
{
    public static SelectLibrary Library { get; } = new(
        "Controlled",
        capacity => capacity == 0 ? new RendezvousChannel() : new RingBufferChannel(capacity),
        order => new Selector(order),
        (readers, order) => new ReadAny(readers, order));

    /// <summary>
    /// Holds the clauses until the first select, then builds the selector with them in the order asked for; the
    /// scenario's clause numbers stay the order it added them in.
    /// </summary>
    private sealed class Selector(SelectorOrder order) : ISelector
    {
        private readonly List<(ChannelReader<int>? Reader, ChannelWriter<int>? Writer, int Item)> _added = [];
        private ChannelSelector? _selector;
        private SelectClause[] _clauses = [];

        public int AddRead(ChannelReader<int> reader)
        {
            _added.Add((reader, null, 0));
            return _added.Count - 1;
        }

        public int AddWrite(ChannelWriter<int> writer, int item)
        {
            _added.Add((null, writer, item));
            return _added.Count - 1;
        }

        public void Offer(int clause, int item)
        {
            if (_selector is null)
            {
                _added[clause] = _added[clause] with { Item = item };
            }
            else
            {
                ((SelectWriteClause)_clauses[clause]).Item = item;
            }
        }

        public void Disable(int clause) => Built()[clause].IsEnabled = false;

        public bool TrySelect(out SelectOutcome outcome)
        {
            SelectClause[] clauses = Built();
            bool selected = _selector!.TrySelect(out SelectResult result);
            outcome = selected ? Outcome(clauses, result) : default;
            return selected;
        }

        public async ValueTask<SelectOutcome> SelectAsync(CancellationToken cancellationToken)
        {
            SelectClause[] clauses = Built();
            SelectResult result = await _selector!.SelectAsync(cancellationToken);
            return Outcome(clauses, result);
        }

        private static SelectOutcome Outcome(SelectClause[] clauses, SelectResult result)
        {
            int clause = Array.IndexOf(clauses, result.Clause);
            return result.Clause switch
            {
                _ when result.IsClosed => new(clause, result.Clause.IsWrite, true, result.CompletionError, 0),
                SelectReadClause read => new(clause, false, false, null, read.Item),
                SelectWriteClause write => new(clause, true, false, null, write.Item),
                _ => throw new InvalidOperationException($"Unexpected clause {result.Clause}."),
            };
        }

        private SelectClause[] Built()
        {
            if (_selector is not null)
            {
                return _clauses;
            }

            _selector = new ChannelSelector(order == SelectorOrder.DefaultFairness ? SelectFairness.Random : SelectFairness.Biased);
            _clauses = new SelectClause[_added.Count];
            IEnumerable<int> addOrder = Enumerable.Range(0, _added.Count);
            foreach (int index in order == SelectorOrder.Reversed ? addOrder.Reverse() : addOrder)
            {
                (ChannelReader<int>? reader, ChannelWriter<int>? writer, int item) = _added[index];
                _clauses[index] = reader is not null ? _selector.AddRead(reader) : _selector.AddWrite(writer!, item);
            }

            return _clauses;
        }
    }

    /// <summary>Gives the reader numbers in the order the scenario passed them, whatever order the selector holds them in.</summary>
    private sealed class ReadAny(ChannelReader<int>[] readers, SelectorOrder order) : IReadAnySelector
    {
        private readonly ReadAnySelector _selector = new(
            order == SelectorOrder.Reversed ? Enumerable.Reverse(readers) : readers,
            order == SelectorOrder.DefaultFairness ? SelectFairness.Random : SelectFairness.Biased);

        public bool TryRead(out int index, out int item)
        {
            bool read = _selector.TryRead(out int held, out item);
            index = AsPassed(held);
            return read;
        }

        public async ValueTask<(int Index, int Item)> ReadAsync(CancellationToken cancellationToken)
        {
            (int held, int item) = await _selector.ReadAsync(cancellationToken);
            return (AsPassed(held), item);
        }

        private int AsPassed(int held) => order == SelectorOrder.Reversed ? readers.Length - 1 - held : held;
    }
}
