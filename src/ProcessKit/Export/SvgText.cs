using System.Globalization;
using System.Text;

namespace ProcessKit.Export;

/// <summary>Text and numbers for SVG: XML escaping, shortening, wrapping and width estimates.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class SvgText
{
    /// <summary>The estimated width of <c>…</c>, which ends a shortened text.</summary>
    public const double EllipsisWidth = 12;

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

    /// <summary>
    /// The estimated width of <paramref name="text"/> at the diagram's 12-unit font, in user units: the sum of
    /// <see cref="Width(Rune)"/>. The layout sizes nodes and gaps with it, so a text it says fits does fit.
    /// </summary>
    public static double Width(string text)
    {
        var width = 0.0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Width(rune);
        }

        return width;
    }

    /// <summary>
    /// The estimated width of one character at the diagram's 12-unit font, sized after the wider common
    /// sans-serif fonts (DejaVu Sans, Segoe UI) so estimates err on the wide side: narrow letters and
    /// punctuation 4 or 5, most lowercase letters and digits 7.6, capitals 9.4, <c>m M w W @ %</c> 10 to 12,
    /// East Asian wide and full-width characters and emoji 12, combining marks and format characters 0.
    /// </summary>
    public static double Width(Rune rune)
    {
        var value = rune.Value;
        if (value < 0x80)
        {
            return value switch
            {
                ' ' or 'i' or 'j' or 'l' or 'I' or 'J' or '\'' or '.' or ',' or ':' or ';' or '|' or '!' or '`' => 4,
                'f' or 'r' or 't' or '(' or ')' or '[' or ']' or '{' or '}' or '/' or '\\' or '-' or '"' or '*' => 5,
                'w' => 10,
                'm' or 'M' or 'W' or '@' or '%' => 12,
                >= 'A' and <= 'Z' or '&' or '#' => 9.4,
                _ => 7.6,
            };
        }

        if (value == 0x2026 || IsWide(value))
        {
            return 12;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format => 0,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => 9.4,
            _ => 7.6,
        };
    }

    /// <summary><paramref name="text"/> cleaned and cut to at most <paramref name="maxWidth"/> units wide (<see cref="Width(string)"/>), ending with <c>…</c> when cut.</summary>
    public static string Shorten(string text, double maxWidth)
    {
        var clean = Clean(text).Trim();
        return Width(clean) <= maxWidth ? clean : Ellipsize(clean, maxWidth);
    }

    /// <summary>
    /// <paramref name="text"/> wrapped at spaces into lines at most <paramref name="maxWidth"/> units wide
    /// (<see cref="Width(string)"/>), at most <paramref name="maxLines"/> lines (the last ending with <c>…</c>
    /// when text was left out); a word wider than a line is cut. Never empty: blank text gives one empty line.
    /// </summary>
    public static List<string> Wrap(string text, double maxWidth, int maxLines)
    {
        var words = Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        var line = new StringBuilder();
        var lineWidth = 0.0;
        var space = Width(new Rune(' '));
        foreach (var word in words)
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var wordWidth = Width(rest);
                var needed = line.Length == 0 ? wordWidth : lineWidth + space + wordWidth;
                if (needed <= maxWidth)
                {
                    if (line.Length > 0)
                    {
                        line.Append(' ');
                    }

                    line.Append(rest);
                    lineWidth = needed;
                    rest = string.Empty;
                }
                else if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineWidth = 0;
                }
                else
                {
                    var (head, tail) = Fit(rest, maxWidth);
                    lines.Add(head);
                    rest = tail;
                }
            }
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        if (lines.Count > maxLines)
        {
            var kept = lines.GetRange(0, maxLines);
            var last = kept[^1];
            kept[^1] = Width(last) + EllipsisWidth <= maxWidth ? last + "\u2026" : Ellipsize(last, maxWidth);
            return kept;
        }

        return lines;
    }

    /// <summary>
    /// <paramref name="text"/> as the start of an XML id: ASCII letters, digits, <c>-</c> and <c>.</c> kept,
    /// every other character (and <c>_</c>) written as <c>_</c>, its code point in hexadecimal and <c>_</c>,
    /// so different texts give different results (a lone surrogate reads as U+FFFD); <c>pk-</c> in front when the result would not start with a
    /// letter or <c>_</c>.
    /// </summary>
    public static string IdPrefix(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.')
            {
                builder.Append((char)value);
            }
            else
            {
                builder.Append('_').Append(value.ToString("x", CultureInfo.InvariantCulture)).Append('_');
            }
        }

        var first = builder.Length == 0 ? '\0' : builder[0];
        return first is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' ? builder.ToString() : "pk-" + builder;
    }

    /// <summary>A coordinate or length: invariant culture, at most one decimal, no exponent.</summary>
    public static string Number(double value) =>
        Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The longest start of <paramref name="text"/> that with <c>…</c> after it is at most <paramref name="maxWidth"/> wide, and <c>…</c>.</summary>
    private static string Ellipsize(string text, double maxWidth)
    {
        var (head, _) = Fit(text, Math.Max(0, maxWidth - EllipsisWidth));
        return head.TrimEnd() + "\u2026";
    }

    /// <summary>
    /// <paramref name="text"/> split after the most whole runes that fit in <paramref name="maxWidth"/>; at
    /// least one rune when <paramref name="text"/> is not empty and the width is too small for any, so a
    /// caller cutting a word into lines always moves on.
    /// </summary>
    private static (string Head, string Tail) Fit(string text, double maxWidth)
    {
        var index = 0;
        var width = 0.0;
        foreach (var rune in text.EnumerateRunes())
        {
            var next = width + Width(rune);
            if (next > maxWidth && index > 0)
            {
                break;
            }

            if (next > maxWidth)
            {
                index += rune.Utf16SequenceLength;
                break;
            }

            width = next;
            index += rune.Utf16SequenceLength;
        }

        return (text[..index], text[index..]);
    }

    /// <summary>East Asian wide and full-width characters and emoji (approximately: the main blocks).</summary>
    private static bool IsWide(int value) => value is
        (>= 0x1100 and <= 0x115F)
        or (>= 0x2E80 and <= 0x303E)
        or (>= 0x3041 and <= 0x33FF)
        or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x4E00 and <= 0x9FFF)
        or (>= 0xA000 and <= 0xA4CF)
        or (>= 0xAC00 and <= 0xD7A3)
        or (>= 0xF900 and <= 0xFAFF)
        or (>= 0xFE30 and <= 0xFE4F)
        or (>= 0xFF00 and <= 0xFF60)
        or (>= 0xFFE0 and <= 0xFFE6)
        or (>= 0x1F300 and <= 0x1FAFF)
        or (>= 0x20000 and <= 0x3FFFD)
        or (>= 0x2600 and <= 0x27BF);
}
