using ProcessKit.Samples.Shared.Tables;

namespace ProcessKit.Samples.Cafe.Tests;

public sealed class TextTableTests
{
    [Fact]
    public void Columns_are_aligned_numbers_to_the_right_and_text_to_the_left()
    {
        var table = new TextTable("role", "people", "utilization")
            .AddRow("Cook", 3, "85%")
            .AddRow("Waiter", 12, "7%")
            .AddSeparator()
            .AddRow("all", 15);

        Assert.Equal(
            "role    people  utilization\n" +
            "------  ------  -----------\n" +
            "Cook         3          85%\n" +
            "Waiter      12           7%\n" +
            "------  ------  -----------\n" +
            "all         15\n",
            table.ToString());
    }

    [Fact]
    public void Alignment_can_be_forced_and_decimals_are_written_with_the_invariant_culture()
    {
        var table = new TextTable("a", "b").AlignLeft(1).AlignRight(0).AddRow("x", 1.5m);

        Assert.Equal("a  b\n-  ---\nx  1.5\n", table.ToString());
        Assert.Throws<ArgumentException>(() => table.AddRow(1, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.AlignRight(2));
    }

    [Fact]
    public void WriteTo_indents_every_line_and_uses_the_writer_s_new_line()
    {
        using var writer = new StringWriter { NewLine = "\r\n" };

        new TextTable("n").AddRow(7).WriteTo(writer, indent: 2);

        Assert.Equal("  n\r\n  -\r\n  7\r\n", writer.ToString());
    }
}
