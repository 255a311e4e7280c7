using System.Globalization;
using System.Text;
using System.Xml;
using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>Turns ids and free text into pieces of Mermaid flowchart syntax that cannot break the diagram.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class MermaidSyntax
{
    /// <summary>
    /// A node id made of ASCII letters, digits and <c>_</c> only: <paramref name="prefix"/> followed
    /// by <paramref name="id"/> with letters and digits kept, <c>_</c> written <c>__</c>, <c>-</c>
    /// written <c>_h</c> and any other character written <c>_uHEX_</c>. Distinct ids give distinct
    /// node ids, and the prefix keeps clear of Mermaid's keywords (<c>end</c>, <c>graph</c>) and of
    /// edge syntax (<c>o</c>/<c>x</c> right after an arrow).
    /// </summary>
    public static string NodeId(string prefix, string id)
    {
        var builder = new StringBuilder(prefix.Length + id.Length + 4).Append(prefix);
        foreach (var rune in id.EnumerateRunes())
        {
            var value = rune.Value;
            if (value < 128 && char.IsAsciiLetterOrDigit((char)value))
            {
                builder.Append((char)value);
            }
            else if (value == '_')
            {
                builder.Append("__");
            }
            else if (value == '-')
            {
                builder.Append("_h");
            }
            else
            {
                builder.Append("_u").Append(value.ToString("X", CultureInfo.InvariantCulture)).Append('_');
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Text for a quoted label (<c>"..."</c>): characters that Mermaid or HTML would read as syntax
    /// are written as Mermaid entity codes (<c>#quot;</c>, <c>#35;</c>, ...), line breaks become
    /// <c>&lt;br/&gt;</c> and other control characters a space.
    /// </summary>
    public static string Label(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("#quot;"); break;
                case '#': builder.Append("#35;"); break;
                case '&': builder.Append("#amp;"); break;
                case '<': builder.Append("#lt;"); break;
                case '>': builder.Append("#gt;"); break;
                case '|': builder.Append("#124;"); break;
                case '[': builder.Append("#91;"); break;
                case ']': builder.Append("#93;"); break;
                case '(': builder.Append("#40;"); break;
                case ')': builder.Append("#41;"); break;
                case '{': builder.Append("#123;"); break;
                case '}': builder.Append("#125;"); break;
                case '`': builder.Append("#96;"); break;
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    builder.Append("<br/>");
                    break;
                case '\n': builder.Append("<br/>"); break;
                default:
                    builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Text for a <c>%%</c> comment: one line, control characters replaced by spaces.</summary>
    public static string Comment(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        return builder.ToString();
    }

    /// <summary>The label of an escalation's edge: when it fires (or <paramref name="defaultLabel"/>), and whether it interrupts.</summary>
    public static string EscalationLabel(Escalation escalation, string defaultLabel)
    {
        var label = escalation.At is { } at ? Due(at, "after") : defaultLabel;
        return escalation.Interrupting ? label + ", interrupting" : label;
    }

    /// <summary>
    /// A due time for people: <paramref name="durationWord"/> and the duration (<c>after 15 min</c>,
    /// <c>within 1 d 2 h</c>), or <c>at EXPRESSION</c>.
    /// </summary>
    public static string Due(DueTime due, string durationWord) =>
        due.After is { } after ? durationWord + " " + Duration(after) : "at " + (due.At?.Text ?? string.Empty);

    /// <summary>
    /// A duration for people, largest unit first and zero parts left out: <c>2 d</c>, <c>1 h 30 min</c>,
    /// <c>45 s</c>, <c>250 ms</c> (an ISO 8601 duration such as <c>PT1H30M</c> is for files, not diagrams).
    /// A negative duration, which no valid definition has, stays in ISO 8601.
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return XmlConvert.ToString(duration);
        }

        var parts = new List<string>(5);
        Part(parts, (long)duration.TotalDays, "d");
        Part(parts, duration.Hours, "h");
        Part(parts, duration.Minutes, "min");
        Part(parts, duration.Seconds, "s");
        var milliseconds = duration.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerMillisecond;
        if (milliseconds > 0)
        {
            parts.Add(milliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms");
        }

        return parts.Count == 0 ? "0 s" : string.Join(' ', parts);

        static void Part(List<string> parts, long value, string unit)
        {
            if (value > 0)
            {
                parts.Add(value.ToString(CultureInfo.InvariantCulture) + " " + unit);
            }
        }
    }

    /// <summary>The flowchart direction keyword.</summary>
    public static string Direction(MermaidDirection direction) => direction switch
    {
        MermaidDirection.TopDown => "TD",
        MermaidDirection.RightLeft => "RL",
        MermaidDirection.BottomUp => "BT",
        _ => "LR",
    };
}
