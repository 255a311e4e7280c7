using System.Globalization;
using System.Text;

namespace ProcessKit.Export;

/// <summary>Text and numbers for SVG: XML escaping, shortening, wrapping and width estimates.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class SvgText
{
    /// <summary>The estimated width of one character at the diagram's font size, in user units.</summary>
    public const double CharWidth = 6.8;

    /// <summary>
    /// Text safe inside an XML element or a double- or single-quoted attribute: <c>&amp; &lt; &gt; " '</c>
    /// escaped, line breaks and other characters XML forbids (control characters, lone surrogates,
    /// U+FFFE and U+FFFF) written as a space.
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in Clean(text).EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(rune.ToString()); break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> on one line with only characters XML allows: line breaks, tabs and other
    /// control characters become a space, lone surrogates and U+FFFE/U+FFFF the replacement character.
    /// </summary>
    public static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value < 0x20 || value is (>= 0x7F and <= 0x9F) or 0x2028 or 0x2029)
            {
                builder.Append(' ');
            }
            else if (value is 0xFFFE or 0xFFFF)
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>The number of characters a reader sees (runes), for width estimates and shortening.</summary>
    public static int Length(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary><paramref name="text"/> cleaned and cut to at most <paramref name="max"/> runes, ending with <c>…</c> when cut.</summary>
    public static string Shorten(string text, int max)
    {
        var clean = Clean(text).Trim();
        if (Length(clean) <= max)
        {
            return clean;
        }

        return Ellipsize(clean, max);
    }

    /// <summary>
    /// <paramref name="text"/> wrapped at spaces into lines of at most <paramref name="width"/> runes,
    /// at most <paramref name="maxLines"/> lines (the last shortened with <c>…</c>); a word longer than a
    /// line is cut. Never empty: blank text gives one empty line.
    /// </summary>
    public static List<string> Wrap(string text, int width, int maxLines)
    {
        var words = Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        var line = new StringBuilder();
        var lineLength = 0;
        foreach (var word in words)
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var wordLength = Length(rest);
                var needed = lineLength == 0 ? wordLength : lineLength + 1 + wordLength;
                if (needed <= width)
                {
                    if (lineLength > 0)
                    {
                        line.Append(' ');
                    }

                    line.Append(rest);
                    lineLength = needed;
                    rest = string.Empty;
                }
                else if (lineLength > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineLength = 0;
                }
                else
                {
                    var (head, tail) = Split(rest, width);
                    lines.Add(head);
                    rest = tail;
                }
            }
        }

        if (lineLength > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        if (lines.Count > maxLines)
        {
            var kept = lines.GetRange(0, maxLines);
            var last = kept[^1];
            kept[^1] = Length(last) < width ? last + "\u2026" : Ellipsize(last, width);
            return kept;
        }

        return lines;
    }

    /// <summary>A coordinate or length: invariant culture, at most one decimal, no exponent.</summary>
    public static string Number(double value) =>
        Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The first <paramref name="max"/> - 1 runes of <paramref name="text"/> and <c>…</c>.</summary>
    private static string Ellipsize(string text, int max)
    {
        var (head, _) = Split(text, Math.Max(0, max - 1));
        return head.TrimEnd() + "\u2026";
    }

    private static (string Head, string Tail) Split(string word, int runes)
    {
        var index = 0;
        var taken = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            if (taken == runes)
            {
                break;
            }

            index += rune.Utf16SequenceLength;
            taken++;
        }

        return (word[..index], word[index..]);
    }
}
