using System.Globalization;
using System.Text;

namespace ProcessKit.Samples.Shared.Tables;

/// <summary>
/// A plain-text table with aligned columns, for reports written to a console or a file: a header
/// row, a rule under it, then the rows. Numbers are right-aligned, text left-aligned.
/// </summary>
/// <remarks>
/// <para>
/// A column is right-aligned when every non-empty cell below its header looks like a number (it
/// starts with a digit, a sign or a currency-free decimal point, and ends with a digit, <c>%</c>,
/// <c>x</c> or a unit letter of a duration such as <c>12m</c>); <see cref="AlignRight(int[])"/> and
/// <see cref="AlignLeft(int[])"/> override that. Cells are formatted with the invariant culture.
/// Columns are separated by two spaces; trailing spaces are trimmed.
/// </para>
/// <para>Not thread-safe: build a table on one thread, then write it.</para>
/// </remarks>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]?> _rows = [];
    private readonly bool?[] _rightAligned;

    /// <summary>Starts a table with the given column headers.</summary>
    /// <param name="headers">One header per column; at least one.</param>
    /// <exception cref="ArgumentException">No header is given.</exception>
    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(headers));
        }

        _headers = [.. headers.Select(static h => h ?? string.Empty)];
        _rightAligned = new bool?[headers.Length];
    }

    /// <summary>The number of rows added so far (separators included).</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row. Missing cells are blank; extra cells are an error. <see langword="null"/> is blank.</summary>
    /// <param name="cells">The cells, formatted with the invariant culture (<see cref="IFormattable"/>) or <see cref="object.ToString"/>.</param>
    /// <returns>This table.</returns>
    /// <exception cref="ArgumentException">More cells than columns.</exception>
    public TextTable AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length > _headers.Length)
        {
            throw new ArgumentException($"The row has {cells.Length} cells; the table has {_headers.Length} columns.", nameof(cells));
        }

        var row = new string[_headers.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length ? Format(cells[i]) : string.Empty;
        }

        _rows.Add(row);
        return this;
    }

    /// <summary>Adds a rule between rows (for example above a total).</summary>
    /// <returns>This table.</returns>
    public TextTable AddSeparator()
    {
        _rows.Add(null);
        return this;
    }

    /// <summary>Right-aligns the given columns (from 0), whatever they hold.</summary>
    /// <param name="columns">Column indexes.</param>
    /// <returns>This table.</returns>
    public TextTable AlignRight(params int[] columns) => Align(columns, true);

    /// <summary>Left-aligns the given columns (from 0), whatever they hold.</summary>
    /// <param name="columns">Column indexes.</param>
    /// <returns>This table.</returns>
    public TextTable AlignLeft(params int[] columns) => Align(columns, false);

    /// <summary>Writes the table, one line per row, each ended by <see cref="TextWriter.NewLine"/>.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="indent">Spaces before each line. Default 0.</param>
    public void WriteTo(TextWriter writer, int indent = 0)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Render(indent, writer.NewLine));
    }

    /// <summary>The table as text, lines ended by <c>\n</c>.</summary>
    /// <returns>The rendered table.</returns>
    public override string ToString() => Render(0, "\n");

    private TextTable Align(int[] columns, bool right)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var c in columns)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(c);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(c, _headers.Length);
            _rightAligned[c] = right;
        }

        return this;
    }

    private string Render(int indent, string newLine)
    {
        var widths = new int[_headers.Length];
        var right = new bool[_headers.Length];
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = _headers[c].Length;
            var numeric = false;
            var all = true;
            foreach (var row in _rows)
            {
                if (row is null)
                {
                    continue;
                }

                widths[c] = Math.Max(widths[c], row[c].Length);
                if (row[c].Length > 0)
                {
                    numeric = true;
                    all &= LooksNumeric(row[c]);
                }
            }

            right[c] = _rightAligned[c] ?? (numeric && all);
        }

        var text = new StringBuilder();
        var pad = new string(' ', Math.Max(0, indent));
        AppendLine(text, pad, _headers, widths, right, newLine);
        var rule = pad + string.Join("  ", widths.Select(static w => new string('-', w)));
        text.Append(rule).Append(newLine);
        foreach (var row in _rows)
        {
            if (row is null)
            {
                text.Append(rule).Append(newLine);
            }
            else
            {
                AppendLine(text, pad, row, widths, right, newLine);
            }
        }

        return text.ToString();
    }

    private static void AppendLine(StringBuilder text, string pad, string[] cells, int[] widths, bool[] right, string newLine)
    {
        var line = new StringBuilder(pad);
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }

            line.Append(right[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }

        text.Append(line.ToString().TrimEnd()).Append(newLine);
    }

    private static bool LooksNumeric(string cell)
    {
        var first = cell[0];
        var last = cell[^1];
        return (char.IsAsciiDigit(first) || first is '-' or '+' or '.')
            && (char.IsAsciiDigit(last) || last is '%' or 'x' or 's' or 'm' or 'h' or 'd');
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
