using ProcessKit.Definitions;
using ProcessKit.Definitions.Validation;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Definitions.Builder;

/// <summary>
/// The only builder tests that depend on the real rules of <see cref="ProcessDefinitionValidator"/>
/// (written apart from the builder); every other builder test builds without them.
/// </summary>
public sealed class ValidationOnBuildTests
{
    [Fact]
    public void RequiresValidator_Build_throws_one_exception_listing_every_error_with_its_path()
    {
        var p = ProcessBuilder.Create("broken", "Broken");
        var check = p.Decision("check", "Big?");
        var done = p.End("done", "Done");
        check.When("undeclaredAmount > 10", done);

        var exception = Assert.Throws<DefinitionException>(() => p.Build());

        Assert.Equal("broken", exception.Origin);
        Assert.Contains(exception.Problems, e => e.Code == DefinitionProblemCodes.DecisionWithoutDefault && e.Path.StartsWith("/steps/0", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, e => e.Code == DefinitionProblemCodes.UnknownField && e.Path == "/steps/0/next/0/when");
    }

    [Fact]
    public void RequiresValidator_Both_scenarios_have_no_problem_at_all()
    {
        Assert.Empty(ProcessDefinitionValidator.Validate(CafeProcess.Definition));
        Assert.Empty(ProcessDefinitionValidator.Validate(SalesOfficeProcess.Definition));
    }
}
