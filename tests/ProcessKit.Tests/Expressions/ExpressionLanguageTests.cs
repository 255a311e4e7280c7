using FsCheck.Xunit;
using ProcessKit.Expressions;

namespace ProcessKit.Tests.Expressions;

public sealed class ExpressionLanguageTests
{
    [Theory]
    [InlineData("amount > 100 && isVip", "amount,isVip")]
    [InlineData("lead.email == 'x'", "lead")]
    [InlineData("[lead.email] != '' and lead.phone != ''", "lead")]
    [InlineData("{order.total} > 10 || customer.address.city == 'Oslo'", "order,customer")]
    [InlineData("a == null", "a")]
    [InlineData("count(dishes) > 0 ? 'yes' : 'no'", "dishes")]
    public void Parse_reports_the_fields_an_expression_reads(string text, string fields)
    {
        var parsed = ExpressionLanguage.Parse(text);

        Assert.Null(parsed.SyntaxError);
        Assert.Equal(fields.Split(','), parsed.Fields);
    }

    [Fact]
    public void Parse_reports_dotted_names_as_written()
    {
        var parsed = ExpressionLanguage.Parse("lead.email == '' && [lead.phone] == ''");

        Assert.Equal(["lead.email", "lead.phone"], parsed.Names);
        Assert.Equal(["lead"], parsed.Fields);
    }

    [Fact]
    public void Parse_reports_the_functions_called_with_their_argument_counts()
    {
        var parsed = ExpressionLanguage.Parse("addDays(now(), 2) > due && if(isEmpty(notes), true, Max(a, b) > 3)");

        Assert.Equal(
            ["addDays", "now", "if", "isEmpty", "Max"],
            parsed.Calls.Select(static c => c.Name));
        Assert.Equal(2, parsed.Calls.Single(static c => c.Name == "addDays").ArgumentCount);
        Assert.Empty(parsed.FunctionProblems());
    }

    [Theory]
    [InlineData("amount > ", 1, 8)]
    [InlineData("lead..email", 1, 5)]
    [InlineData("x > 1 and\n y..z", 2, 3)]
    [InlineData("a && (b || c", 1, 13)]
    [InlineData("name == 'abc", 1, 9)]
    [InlineData("lead.email == 'x' && (", 1, 19)]
    public void Parse_reports_syntax_errors_with_their_position(string text, int line, int column)
    {
        var error = ExpressionLanguage.Parse(text).SyntaxError;

        Assert.NotNull(error);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains($"line {line}, column {column}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_after_a_dotted_name_point_into_the_text_as_written()
    {
        // The dotted name is rewritten for the parser; the position must still be the original one.
        var error = ExpressionLanguage.Parse("lead.email == 'x' ) ").SyntaxError;

        Assert.NotNull(error);
        Assert.Equal(19, error.Column);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_expression_is_a_syntax_error(string text)
    {
        Assert.NotNull(ExpressionLanguage.Parse(text).SyntaxError);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_parsing()
    {
        var text = new string('(', 1_000) + "1" + new string(')', 1_000);

        var error = ExpressionLanguage.Parse(text).SyntaxError;

        Assert.NotNull(error);
        Assert.Contains("nested", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.IO.File.Exists('/etc/passwd')", "System.IO.File.Exists")]
    [InlineData("x.GetType()", "x.GetType")]
    [InlineData("typeof(x) == 'String'", "typeof")]
    [InlineData("lead.email.Contains('x')", "lead.email.Contains")]
    [InlineData("Environment.Exit(1)", "Environment.Exit")]
    [InlineData("eval('1')", "eval")]
    public void Calls_outside_the_registry_are_refused(string text, string name)
    {
        var parsed = ExpressionLanguage.Parse(text);

        var problem = Assert.Single(parsed.FunctionProblems());
        Assert.Equal(name, problem.Call.Name);
        Assert.Throws<ArgumentException>(() => parsed.Compile());
    }

    [Fact]
    public void A_function_name_in_the_wrong_case_is_refused_with_the_right_spelling()
    {
        var problem = Assert.Single(ExpressionLanguage.Parse("max(a, b)").FunctionProblems());

        Assert.Contains("Max(a, b)", problem.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("addDays(now())")]
    [InlineData("now(1)")]
    [InlineData("if(a, b)")]
    [InlineData("ifs(a, 1, b, 2)")]
    [InlineData("Round(x)")]
    public void A_call_with_the_wrong_number_of_arguments_is_refused(string text)
    {
        Assert.Single(ExpressionLanguage.Parse(text).FunctionProblems());
    }

    [Fact]
    public void Every_registered_function_has_a_usage_and_a_description()
    {
        Assert.All(ExpressionFunctions.All, static f =>
        {
            Assert.StartsWith(f.Name + "(", f.Usage, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(f.Description));
        });
        Assert.Equal(ExpressionFunctions.All.Count, ExpressionFunctions.All.Select(static f => f.Name).Distinct().Count());
    }

    [Property]
    public bool Parse_never_throws(string? text)
    {
        var parsed = ExpressionLanguage.Parse(text ?? string.Empty);
        return parsed.SyntaxError is not null || parsed.Tree is not null;
    }
}
