using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Rendezvous.Channels.Benchmarks.Results;

/// <summary>
/// A Markdown pipe table with padded columns: readable in a terminal and pasteable into a README or an issue.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <param name="headers">Column titles; a title starting with '>' marks a right-aligned (numeric) column.</param>
    public TextTable(params string[] headers)
    {
        _rightAligned = headers.Select(h => h.StartsWith('>')).ToArray();
        _headers = headers.Select(h => h.TrimStart('>')).ToArray();
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter output)
    {
        int[] widths = _headers
            .Select((header, column) => _rows.Select(row => row[column].Length).Prepend(header.Length).Max())
            .ToArray();
        WriteLine(output, _headers, widths);
        output.WriteLine("|" + string.Join("|", widths.Select((w, c) => Rule(w, _rightAligned[c]))) + "|");
        foreach (string[] row in _rows)
        {
            WriteLine(output, row, widths);
        }
    }

    private void WriteLine(TextWriter output, string[] cells, int[] widths) =>
        output.WriteLine("| " + string.Join(" | ", cells.Select((cell, c) =>
            _rightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))) + " |");

    private static string Rule(int width, bool rightAligned) =>
        rightAligned ? new string('-', width + 1) + ":" : new string('-', width + 2);
}
