using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions;

public sealed class ValueArrayTests
{
    [Fact]
    public void Arrays_with_equal_items_are_equal()
    {
        ValueArray<string> a = ["x", "y"];
        ValueArray<string> b = ["x", "y"];

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Order_matters()
    {
        ValueArray<string> a = ["x", "y"];
        ValueArray<string> b = ["y", "x"];

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Default_is_empty_and_equal_to_an_empty_array()
    {
        ValueArray<int> none = default;

        Assert.True(none.IsEmpty);
        Assert.Empty(none);
        Assert.Equal(ValueArray<int>.Empty, none);
        Assert.Equal(none, (ValueArray<int>)[]);
    }

    [Fact]
    public void Records_holding_arrays_compare_by_value()
    {
        var a = new Supplier("guest", "Guest") { Inputs = [new DataField("table", DataType.Number)] };
        var b = new Supplier("guest", "Guest") { Inputs = [new DataField("table", DataType.Number)] };

        Assert.Equal(a, b);
    }
}
