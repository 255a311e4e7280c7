using System.Text;

namespace ProcessKit.Cli;

/// <summary>Keeps what the tool prints to one line per message.</summary>
internal static class CliText
{
    /// <summary>
    /// Line breaks (with the white space around them) become one space and other control characters
    /// a space, so that one message stays one line.
    /// </summary>
    public static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsBreak(c))
            {
                while (builder.Length > 0 && char.IsWhiteSpace(builder[^1]))
                {
                    builder.Length--;
                }

                while (i + 1 < text.Length && (IsBreak(text[i + 1]) || char.IsWhiteSpace(text[i + 1])))
                {
                    i++;
                }

                builder.Append(' ');
                continue;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    /// <summary>A file name as given, made printable on one line (control characters become <c>?</c>).</summary>
    public static string FileName(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static bool IsBreak(char c) => c is '\r' or '\n' or '\u2028' or '\u2029';

    /// <summary><c>1 file</c>, <c>2 files</c>.</summary>
    public static string Count(int count, string singular, string plural) =>
        count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural);
}
