using ProcessKit.Expressions;

namespace ProcessKit.Definitions.Validation;

/// <summary>Rule: every text expression parses, reads only declared fields and calls only the language's functions.</summary>
internal sealed partial class ValidationRun
{
    private void CheckExpressions()
    {
        // The same text often appears many times (a correlation key, a condition); parse it once.
        var parsed = new Dictionary<string, ParsedExpression>(StringComparer.Ordinal);
        foreach (var site in DefinitionWalker.Expressions(_definition))
        {
            if (site.Expression is not { IsLambda: false, Text: var text })
            {
                continue;
            }

            if (!parsed.TryGetValue(text, out var expression))
            {
                expression = ExpressionLanguage.Parse(text);
                parsed[text] = expression;
            }

            if (expression.SyntaxError is { } error)
            {
                Error(DefinitionProblemCodes.ExpressionSyntax, site.Path, $"The expression '{text}' does not parse: {error}.", "Check the operators, quotes and parentheses at that position; texts are written in quotes ('like this') and fields by name (amount > 100).");
                continue;
            }

            foreach (var (call, message, hint) in expression.FunctionProblems())
            {
                Error(DefinitionProblemCodes.UnknownFunction, site.Path, $"The expression '{text}' is refused: {message}", hint);
            }

            // A sub-process's output mappings are evaluated over the sub-process's results, whose fields this process does not declare.
            if (site.Use == ExpressionUse.Value && site.Path.Contains("/outputs/", StringComparison.Ordinal))
            {
                continue;
            }

            var itemName = ItemNameVisibleAt(site);
            foreach (var field in expression.Fields)
            {
                if (!_fields.ContainsKey(field) && !string.Equals(field, itemName, StringComparison.Ordinal))
                {
                    Error(
                        DefinitionProblemCodes.UnknownField,
                        site.Path,
                        $"The expression '{text}' reads the field '{field}', which no supplier input, client output, step writes or sub-process output declares.",
                        $"Declare '{field}' where its value comes from (a supplier input, or the writes of the step that sets it), or correct the name{Suggestion(field)}.");
                }
            }
        }
    }

    // A multi-instance step's item is visible inside the step, but not in its collection (evaluated before any item)
    // nor in its outgoing flows' conditions (evaluated after every item is done).
    private static string? ItemNameVisibleAt(ExpressionSite site)
    {
        var loop = site.Step switch
        {
            HumanTaskStep task => task.MultiInstance,
            AutomatedStep automated => automated.MultiInstance,
            SubProcessStep sub => sub.MultiInstance,
            _ => null,
        };
        return loop is null || site.Use == ExpressionUse.Collection || site.Use == ExpressionUse.Condition ? null : loop.ItemName;
    }
}
