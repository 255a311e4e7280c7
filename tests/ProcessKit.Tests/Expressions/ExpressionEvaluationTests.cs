using System.Text.Json;
using System.Text.Json.Nodes;
using ProcessKit.Expressions;

namespace ProcessKit.Tests.Expressions;

public sealed class ExpressionEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FixedClock Clock = new(Now);

    private static object? Eval(string text, IReadOnlyDictionary<string, object?>? fields = null) =>
        ExpressionLanguage.Compile(text).Evaluate(fields ?? new Dictionary<string, object?>(), Clock, TestContext.Current.CancellationToken);

    [Fact]
    public void Now_reads_the_injected_clock()
    {
        Assert.Equal(Now, Eval("now()"));
    }

    [Theory]
    [InlineData("addMinutes(now(), 15)", 0, 15)]
    [InlineData("addMinutes(now(), -30)", 0, -30)]
    [InlineData("addHours(now(), 2)", 0, 120)]
    [InlineData("addHours(now(), 0.5)", 0, 30)]
    [InlineData("addDays(now(), 2)", 2, 0)]
    [InlineData("addDays(now(), -1)", -1, 0)]
    public void Date_functions_add_time(string text, int days, int minutes)
    {
        Assert.Equal(Now.AddDays(days).AddMinutes(minutes), Eval(text));
    }

    [Fact]
    public void Date_functions_read_dates_from_the_data_and_give_null_for_null()
    {
        var fields = new Dictionary<string, object?>
        {
            ["requested"] = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(2)),
            ["text"] = "2026-05-01T00:00:00Z",
            ["missing"] = null,
        };

        Assert.Equal(new DateTimeOffset(2026, 4, 30, 0, 0, 0, TimeSpan.FromHours(2)), Eval("addDays(requested, -1)", fields));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 1, 0, 0, TimeSpan.Zero), Eval("addHours(text, 1)", fields));
        Assert.Null(Eval("addDays(missing, 1)", fields));
        Assert.Equal(true, Eval("addDays(requested, 1) > now()", fields));
    }

    public static TheoryData<object?, bool> EmptyValues => new()
    {
        { null, true },
        { "", true },
        { "  ", true },
        { "x", false },
        { new List<object?>(), true },
        { new List<object?> { 1 }, false },
        { 0, false },
        { JsonDocument.Parse("[]").RootElement, true },
        { JsonDocument.Parse("[1]").RootElement, false },
        { JsonDocument.Parse("{}").RootElement, true },
        { JsonDocument.Parse("null").RootElement, true },
    };

    [Theory]
    [MemberData(nameof(EmptyValues))]
    public void IsEmpty_is_true_for_null_blank_text_and_empty_lists(object? value, bool expected)
    {
        Assert.Equal(expected, Eval("isEmpty(x)", new Dictionary<string, object?> { ["x"] = value }));
    }

    [Fact]
    public void IsEmpty_is_true_for_a_field_with_no_value()
    {
        Assert.Equal(true, Eval("isEmpty(notSetYet)"));
    }

    [Fact]
    public void Count_counts_lists_of_any_shape()
    {
        var fields = new Dictionary<string, object?>
        {
            ["dishes"] = new[] { "soup", "fish" },
            ["json"] = JsonDocument.Parse("[1, 2, 3]").RootElement,
            ["node"] = new JsonArray(1, 2, 3, 4),
            ["none"] = null,
        };

        Assert.Equal(2, Eval("count(dishes)", fields));
        Assert.Equal(3, Eval("count(json)", fields));
        Assert.Equal(4, Eval("count(node)", fields));
        Assert.Equal(0, Eval("count(none)", fields));
    }

    [Fact]
    public void Count_of_a_text_fails_with_an_evaluation_error()
    {
        var error = Assert.Throws<ExpressionEvaluationException>(() => Eval("count(x)", new Dictionary<string, object?> { ["x"] = "abc" }));

        Assert.Equal("expression.failed", error.ErrorCode);
        Assert.Contains("count(x)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("contains(tags, 'vip')", true)]
    [InlineData("contains(tags, 'new')", false)]
    [InlineData("contains(numbers, 2)", true)]
    [InlineData("contains(numbers, 2.0)", true)]
    [InlineData("contains(numbers, 5)", false)]
    [InlineData("contains(json, 'b')", true)]
    [InlineData("contains(email, '@')", true)]
    [InlineData("contains(none, 'x')", false)]
    public void Contains_finds_items_in_lists_and_text(string text, bool expected)
    {
        var fields = new Dictionary<string, object?>
        {
            ["tags"] = new List<string> { "vip", "regular" },
            ["numbers"] = new List<decimal> { 1m, 2m, 3m },
            ["json"] = JsonDocument.Parse("""["a", "b"]""").RootElement,
            ["email"] = "guest@example.com",
            ["none"] = null,
        };

        Assert.Equal(expected, Eval(text, fields));
    }

    [Theory]
    [InlineData("if(amount > 100, 'big', 'small')", "big")]
    [InlineData("ifs(amount > 1000, 'huge', amount > 100, 'big', 'small')", "big")]
    [InlineData("in(amount, 1, 150, 3)", true)]
    [InlineData("amount in (1, 150)", true)]
    [InlineData("Round(amount / 4, 0)", 38)]
    [InlineData("Round(2.5, 0)", 3)]
    [InlineData("0.1 + 0.2 == 0.3", true)]
    [InlineData("Max(amount, 200)", 200)]
    [InlineData("Abs(-2.5)", 2.5)]
    public void Built_in_functions_and_operators_evaluate(string text, object expected)
    {
        var result = Eval(text, new Dictionary<string, object?> { ["amount"] = 150 });

        Assert.Equal(Convert.ToString(expected, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(result, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Dotted_names_read_members_of_dictionaries_and_json_objects()
    {
        var fields = new Dictionary<string, object?>
        {
            ["lead"] = new Dictionary<string, object?> { ["email"] = "a@b.c", ["address"] = new Dictionary<string, object?> { ["city"] = "Oslo" } },
            ["order"] = JsonDocument.Parse("""{"total": 12.5, "vip": true}""").RootElement,
            ["node"] = JsonNode.Parse("""{"name": "Ann"}"""),
        };

        Assert.Equal(true, Eval("lead.email == 'a@b.c' && [lead.address.city] == 'Oslo'", fields));
        Assert.Equal(true, Eval("order.total > 12 && order.vip", fields));
        Assert.Equal("Ann", Eval("node.name", fields));
        Assert.Null(Eval("lead.missing.deeper", fields));
    }

    [Fact]
    public void Dotted_names_never_reach_clr_members()
    {
        // A string has a Length property; the language must not see it.
        Assert.Null(Eval("name.Length", new Dictionary<string, object?> { ["name"] = "abc" }));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(null, false)]
    public void Conditions_give_booleans_and_null_counts_as_false(bool? value, bool expected)
    {
        var condition = ExpressionLanguage.Compile("flag");

        Assert.Equal(expected, condition.EvaluateCondition(new Dictionary<string, object?> { ["flag"] = value }, Clock, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_condition_that_gives_no_boolean_fails()
    {
        var condition = ExpressionLanguage.Compile("amount + 1");

        Assert.Throws<ExpressionEvaluationException>(() => condition.EvaluateCondition(new Dictionary<string, object?> { ["amount"] = 1 }, Clock, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task One_compiled_expression_evaluates_on_many_threads_at_once()
    {
        var compiled = ExpressionLanguage.Compile("addMinutes(now(), n) > now() && contains(items, n) && n * 2 == twice");
        var token = TestContext.Current.CancellationToken;

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(worker => Task.Run(
            () => Enumerable.Range(1, 2_000).All(n => compiled.EvaluateCondition(
                new Dictionary<string, object?> { ["n"] = n + worker, ["items"] = new[] { n + worker }, ["twice"] = 2 * (n + worker) },
                Clock,
                token)),
            token)));

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void An_expression_of_one_field_name_reads_the_field_as_any_expression_does()
    {
        var fields = new Dictionary<string, object?>
        {
            ["amount"] = 12.5m,
            ["name"] = "Ann",
            ["json"] = JsonDocument.Parse("7").RootElement,
            ["customer"] = new Dictionary<string, object?> { ["name"] = "Bo" },
            ["nothing"] = null,
        };

        Assert.Equal(12.5m, Eval("amount", fields));
        Assert.Equal("Ann", Eval("name", fields));
        Assert.Equal(7m, Eval("json", fields));
        Assert.Equal("Bo", Eval("customer.name", fields));
        Assert.Null(Eval("nothing", fields));
        Assert.Null(Eval("missing", fields));
        Assert.Null(Eval("null", fields));
        Assert.Equal(Eval("amount + 0", fields), Eval("amount", fields));
        Assert.Equal(true, Eval("name == 'Ann'", fields));
    }
}
