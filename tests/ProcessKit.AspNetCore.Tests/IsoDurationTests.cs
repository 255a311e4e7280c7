using System.Text;
using System.Xml;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.AspNetCore.Contracts;

namespace ProcessKit.AspNetCore.Tests;

public sealed class IsoDurationTests
{
    [Property(MaxTest = 2000)]
    public bool Any_duration_is_formatted_as_xml_convert_formats_it(long ticks) => Same(TimeSpan.FromTicks(ticks));

    [Property(MaxTest = 500)]
    public bool A_duration_of_whole_units_is_formatted_as_xml_convert_formats_it(int days, byte hours, byte minutes, byte seconds, short milliseconds, bool negative)
    {
        var value = new TimeSpan(days % 10_000, hours % 24, minutes % 60, seconds % 60, milliseconds % 1000);
        return Same(negative ? value.Negate() : value);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    [InlineData(10_000L)]
    [InlineData(TimeSpan.TicksPerSecond)]
    [InlineData(TimeSpan.TicksPerMinute)]
    [InlineData(TimeSpan.TicksPerHour)]
    [InlineData(TimeSpan.TicksPerDay)]
    [InlineData(TimeSpan.TicksPerDay + 1)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(long.MinValue + 1)]
    public void Edge_durations_are_formatted_as_xml_convert_formats_them(long ticks) =>
        Assert.Equal(XmlConvert.ToString(TimeSpan.FromTicks(ticks)), Format(TimeSpan.FromTicks(ticks)));

    private static bool Same(TimeSpan value) => XmlConvert.ToString(value) == Format(value);

    private static string Format(TimeSpan value)
    {
        Span<byte> text = stackalloc byte[IsoDuration.MaxLength];
        return Encoding.UTF8.GetString(text[..IsoDuration.Format(value, text)]);
    }
}
