using ProcessKit.Definitions;
using ProcessKit.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>What a handler writes through the typed <see cref="StepContext.Set(string, int)"/> overloads lands as the object overload would put it.</summary>
public sealed class StepContextTests
{
    private static ProcessDefinition Writer()
    {
        var p = ProcessBuilder.Create("ctx.write", "Write");
        p.Supplier("s", "S").Inputs(Field.String("text"));
        var write = p.Automated("write", "Write", "ctx.write").Writes(Field.Number("whole"), Field.Number("big"), Field.Number("exact"));
        write.Then(p.End("done", "Done"));
        return p.Build();
    }

    [Fact]
    public async Task Whole_numbers_and_decimals_are_kept_as_decimals_and_read_back_by_the_next_step()
    {
        object? seen = null;
        var kit = new EngineTestKit(o => o.AddHandler("ctx.write", c =>
        {
            c.Set("whole", 42);
            c.Set("big", 9_000_000_000L);
            c.Set("exact", 1.25m);
            seen = c.Get("whole");
        }));

        var id = await kit.DeployAndStartAsync(Writer());
        var data = (await kit.InstanceAsync(id)).Data;

        Assert.Null(seen); // writes are merged when the handler returns
        Assert.Equal(42m, Assert.IsType<decimal>(data["whole"]));
        Assert.Equal(9_000_000_000m, Assert.IsType<decimal>(data["big"]));
        Assert.Equal(1.25m, Assert.IsType<decimal>(data["exact"]));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("missing")]
    public async Task A_number_written_to_a_text_or_undeclared_field_is_refused_as_the_object_overload_refuses_it(string field)
    {
        string? typed = null;
        string? boxed = null;
        var kit = new EngineTestKit(o => o.AddHandler("ctx.write", c =>
        {
            typed = Assert.Throws<ArgumentException>(() => c.Set(field, 7)).Message;
            boxed = Assert.Throws<ArgumentException>(() => c.Set(field, (object)7)).Message;
            Assert.Throws<ArgumentException>(() => c.Set(field, 7L));
            Assert.Throws<ArgumentException>(() => c.Set(field, 7m));
        }));

        await kit.DeployAndStartAsync(Writer());

        Assert.NotNull(typed);
        Assert.Equal(boxed, typed);
    }
}
