using System.Text;

namespace ProcessKit.Analytics;

/// <summary>Columns of text padded to their widest cell, for <see cref="ProcessReport.ToTable"/>.</summary>
internal sealed class ReportTable(string[] headers, bool[] alignRight)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder text, bool header)
    {
        var rows = header ? _rows.Prepend(headers).ToList() : _rows;
        var widths = new int[headers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                line.Append(alignRight[i] ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
