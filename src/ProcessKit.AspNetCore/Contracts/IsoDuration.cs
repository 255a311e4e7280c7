using System.Globalization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>
/// Formats a duration as ISO 8601 (<c>PT1H30M</c>) in UTF-8 straight into a span: the same text as
/// <see cref="System.Xml.XmlConvert.ToString(TimeSpan)"/> (days, hours, minutes and seconds, the fraction of a second
/// without trailing zeros, <c>PT0S</c> for zero), without building a string.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class IsoDuration
{
    /// <summary>Room enough for any duration (<c>-P10675199DT2H48M5.4775808S</c> is 27 bytes).</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the bytes written.</summary>
    public static int Format(TimeSpan value, Span<byte> destination)
    {
        var ticks = value.Ticks;
        var rest = ticks < 0 ? unchecked((ulong)-ticks) : (ulong)ticks;
        var days = rest / TimeSpan.TicksPerDay;
        rest %= TimeSpan.TicksPerDay;
        var hours = rest / TimeSpan.TicksPerHour;
        rest %= TimeSpan.TicksPerHour;
        var minutes = rest / TimeSpan.TicksPerMinute;
        rest %= TimeSpan.TicksPerMinute;
        var seconds = rest / TimeSpan.TicksPerSecond;
        var fraction = rest % TimeSpan.TicksPerSecond;

        var at = 0;
        if (ticks < 0)
        {
            destination[at++] = (byte)'-';
        }

        destination[at++] = (byte)'P';
        if (days != 0)
        {
            at += Number(days, destination[at..]);
            destination[at++] = (byte)'D';
        }

        if (hours != 0 || minutes != 0 || seconds != 0 || fraction != 0)
        {
            destination[at++] = (byte)'T';
            if (hours != 0)
            {
                at += Number(hours, destination[at..]);
                destination[at++] = (byte)'H';
            }

            if (minutes != 0)
            {
                at += Number(minutes, destination[at..]);
                destination[at++] = (byte)'M';
            }

            if (seconds != 0 || fraction != 0)
            {
                at += Number(seconds, destination[at..]);
                if (fraction != 0)
                {
                    // Seven digits (ticks are 100 ns), trailing zeros left out.
                    destination[at++] = (byte)'.';
                    var digits = 7;
                    while (fraction % 10 == 0)
                    {
                        fraction /= 10;
                        digits--;
                    }

                    for (var i = digits - 1; i >= 0; i--)
                    {
                        destination[at + i] = (byte)('0' + (int)(fraction % 10));
                        fraction /= 10;
                    }

                    at += digits;
                }

                destination[at++] = (byte)'S';
            }
        }
        else if (days == 0)
        {
            "T0S"u8.CopyTo(destination[at..]);
            at += 3;
        }

        return at;
    }

    private static int Number(ulong value, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        return written;
    }
}
