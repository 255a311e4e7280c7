using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;

namespace ProcessKit.Samples.Shared.Play;

/// <summary>Parsing and formatting of durations, times and values for the play console.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class PlayText
{
    /// <summary>Reads <c>15m</c>, <c>2h</c>, <c>1h30m</c>, <c>45s</c>, <c>1d</c>, <c>PT15M</c> or <c>00:15:00</c>; an optional leading <c>+</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text.Trim();
        if (s.StartsWith('+'))
        {
            s = s[1..];
        }

        if (s.Length == 0)
        {
            return false;
        }

        if (s.StartsWith('P') || s.StartsWith('p'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(s.ToUpperInvariant());
                return duration > TimeSpan.Zero;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        if (s.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || i == s.Length || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var unit = char.ToLowerInvariant(s[i++]);
            total += unit switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'm' => TimeSpan.FromMinutes(n),
                's' => TimeSpan.FromSeconds(n),
                _ => TimeSpan.MinValue,
            };
            if (unit is not ('d' or 'h' or 'm' or 's'))
            {
                return false;
            }
        }

        duration = total;
        return total > TimeSpan.Zero;
    }

    /// <summary>A short duration: <c>45s</c>, <c>25m</c>, <c>1h05m</c>, <c>2d3h</c>.</summary>
    public static string Duration(TimeSpan d)
    {
        var sign = d < TimeSpan.Zero ? "-" : string.Empty;
        d = d.Duration();
        if (d < TimeSpan.FromMinutes(1))
        {
            return sign + ((int)d.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        }

        if (d < TimeSpan.FromHours(1))
        {
            return sign + ((int)d.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (d < TimeSpan.FromDays(1))
        {
            return sign + string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h{d.Minutes:00}m");
        }

        return sign + string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays}d{d.Hours}h");
    }

    /// <summary>A time of day (<c>18:05</c>), with the date when it is not <paramref name="today"/>'s.</summary>
    public static string Time(DateTimeOffset time, DateTimeOffset today) =>
        time.UtcDateTime.Date == today.UtcDateTime.Date
            ? time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)
            : time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A value of the instance's data, for people: lists in brackets, numbers invariant.</summary>
    public static string Value(object? value) => value switch
    {
        null => "(none)",
        string s => s,
        bool b => b ? "yes" : "no",
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        TimeSpan t => Duration(t),
        JsonNode node => node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items and not IDictionary => "[" + string.Join(", ", items.Cast<object?>().Select(Value)) + "]",
        IDictionary<string, object?> map => "{" + string.Join(", ", map.Select(kv => kv.Key + ": " + Value(kv.Value))) + "}",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Splits a command line into words; double quotes group words.</summary>
    public static List<string> Words(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
