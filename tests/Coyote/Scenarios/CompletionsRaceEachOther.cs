using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Rendezvous.Channels.Tests.Coyote.Scenarios;

/// <summary>
/// Three parties complete the channel at once, without an error, with an error, and with an
/// OperationCanceledException, racing two writes, a reader, a WaitToReadAsync consumer and a WaitToWriteAsync
/// producer that park and wake meanwhile. Exactly one TryComplete returns true, and the channel ends the way
/// that winner said, for everyone: Completion succeeds, faults with the winner's error, or is canceled; every
/// refused operation carries the winner's outcome (a second drain with a loser's error would show here); every
/// parked operation ends (one left parked is a deadlock to Coyote); and exactly the accepted items are read.
/// </summary>
internal static class CompletionsRaceEachOther
{
    public static Scenario Scenario { get; } = new(nameof(CompletionsRaceEachOther), RunAsync);

    private static async Task RunAsync(Channel<int> channel)
    {
        Exception?[] errors = [null, new InvalidOperationException("completed with an error"), new OperationCanceledException("completed canceled")];
        bool[] completed = new bool[errors.Length];
        var writes = new OperationOutcomes("write", 2);
        List<int> readByReader = [], readByWaitToRead = [], acceptedByWaitToWrite = [];
        Exception? readerEnd = null;
        (bool? Result, Exception? Error) waitToReadEnd = default, waitToWriteEnd = default;

        Task[] everyone =
        [
            .. errors.Select((error, i) => Task.Run(() => completed[i] = channel.Writer.TryComplete(error))),
            Task.Run(() => writes.WriteAsync(0, channel.Writer, 1)),
            Task.Run(() => writes.WriteAsync(1, channel.Writer, 2)),
            Task.Run(async () => readerEnd = await ReadUntilRefusedAsync(channel.Reader, readByReader)),
            Task.Run(async () => waitToReadEnd = await WaitToReadUntilEndAsync(channel.Reader, readByWaitToRead)),
            Task.Run(async () => waitToWriteEnd = await WaitToWriteUntilEndAsync(channel.Writer, 3, acceptedByWaitToWrite)),
        ];

        await Participants.AllAsync(everyone);

        int winners = completed.Count(won => won);
        Oracle.Holds(winners == 1, $"{winners} TryComplete calls returned true at once; exactly one may.");
        Exception? winner = errors[Array.IndexOf(completed, true)];
        Oracle.Holds(!channel.Writer.TryComplete(), "A TryComplete after the race returned true.");

        await CheckCompletionAsync(channel.Reader.Completion, winner);
        writes.CheckEachEndedOnce();
        foreach (Exception refused in writes.Refusals)
        {
            CheckRefusal(refused, winner, "A refused write");
        }

        CheckRefusal(readerEnd!, winner, "The reader's last read");
        CheckWaitEnd(waitToReadEnd, winner, "WaitToReadAsync");
        CheckWaitEnd(waitToWriteEnd, winner, "WaitToWriteAsync");
        Oracle.DeliveredExactlyTheAccepted([.. readByReader, .. readByWaitToRead], [.. writes.Completed, .. acceptedByWaitToWrite]);
    }

    /// <summary>TryRead, else ReadAsync, until refused; returns the refusal.</summary>
    private static async Task<Exception> ReadUntilRefusedAsync(ChannelReader<int> reader, List<int> received)
    {
        while (true)
        {
            try
            {
                received.Add(reader.TryRead(out int item) ? item : await reader.ReadAsync());
            }
            catch (Exception refused) when (refused is ChannelClosedException or OperationCanceledException)
            {
                return refused;
            }
        }
    }

    /// <summary>WaitToReadAsync and TryRead until WaitToReadAsync says false or throws; returns how it ended.</summary>
    private static async Task<(bool? Result, Exception? Error)> WaitToReadUntilEndAsync(ChannelReader<int> reader, List<int> received)
    {
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out int item))
                {
                    received.Add(item);
                }
            }

            return (false, null);
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException)
        {
            return (null, error);
        }
    }

    /// <summary>WaitToWriteAsync and TryWrite until <paramref name="item"/> is accepted or the wait ends; returns how it ended.</summary>
    private static async Task<(bool? Result, Exception? Error)> WaitToWriteUntilEndAsync(ChannelWriter<int> writer, int item, List<int> accepted)
    {
        try
        {
            while (!writer.TryWrite(item))
            {
                if (!await writer.WaitToWriteAsync())
                {
                    return (false, null);
                }
            }

            accepted.Add(item);
            return (true, null);
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException)
        {
            return (null, error);
        }
    }

    private static async Task CheckCompletionAsync(Task completion, Exception? winner)
    {
        try
        {
            await completion;
        }
        catch (Exception)
        {
            // Judged by the task's state below.
        }

        string outcome = $"{completion.Status} ({completion.Exception?.InnerException?.Message})";
        switch (winner)
        {
            case null:
                Oracle.Holds(completion.IsCompletedSuccessfully, $"Completion ended {outcome}; the winner completed without an error.");
                break;
            case OperationCanceledException:
                Oracle.Holds(completion.IsCanceled, $"Completion ended {outcome}; the winner completed with an OperationCanceledException.");
                break;
            default:
                Oracle.Holds(
                    completion.IsFaulted && ReferenceEquals(completion.Exception!.InnerException, winner),
                    $"Completion ended {outcome}; the winner completed with '{winner.Message}'.");
                break;
        }
    }

    /// <summary>
    /// A read or write refused by the completion: ChannelClosedException wrapping the winner's error (nothing
    /// without one), or an OperationCanceledException when the winner's error is one (as System.Threading.Channels).
    /// </summary>
    private static void CheckRefusal(Exception refused, Exception? winner, string what)
    {
        bool matches = winner switch
        {
            OperationCanceledException => refused is OperationCanceledException,
            _ => refused is ChannelClosedException && ReferenceEquals(refused.InnerException, winner),
        };
        Oracle.Holds(matches, $"{what} was refused with {refused.GetType().Name} ({refused.InnerException?.Message}); the winner completed with {winner?.Message ?? "no error"}.");
    }

    /// <summary>A WaitTo call ended by the completion: false without an error, else the winner's error itself.</summary>
    private static void CheckWaitEnd((bool? Result, Exception? Error) end, Exception? winner, string what)
    {
        if (end.Result == true)
        {
            // A WaitToWriteAsync producer whose item was accepted before the completion: nothing to judge.
            return;
        }

        bool matches = winner is null ? end.Result == false : ReferenceEquals(end.Error, winner);
        Oracle.Holds(matches, $"{what} ended with {end.Result?.ToString() ?? end.Error?.Message}; the winner completed with {winner?.Message ?? "no error"}.");
    }
}
