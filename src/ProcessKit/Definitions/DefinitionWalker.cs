namespace ProcessKit.Definitions;

/// <summary>How an expression's value is used, which decides what it must return.</summary>
internal enum ExpressionUse
{
    /// <summary>A flow condition: a boolean.</summary>
    Condition,

    /// <summary>A due date-time.</summary>
    DateTime,

    /// <summary>A user id for deferred allocation.</summary>
    Assignee,

    /// <summary>The list a multi-instance step runs over.</summary>
    Collection,

    /// <summary>A message correlation key.</summary>
    Correlation,

    /// <summary>A data mapping's value.</summary>
    Value,
}

/// <summary>An expression found in a definition, with its JSON pointer and the step it belongs to.</summary>
/// <param name="Path">The JSON pointer of the expression.</param>
/// <param name="Expression">The expression.</param>
/// <param name="Use">How the value is used.</param>
/// <param name="Step">The step holding it, or <see langword="null"/> for a process-level expression.</param>
internal readonly record struct ExpressionSite(string Path, ProcessExpression Expression, ExpressionUse Use, StepDefinition? Step);

/// <summary>Enumerates the parts of a definition with their JSON pointers, so that every reader of the model uses the same paths.</summary>
internal static class DefinitionWalker
{
    /// <summary>The JSON pointer of a step.</summary>
    public static string StepPath(int index) => $"/steps/{index}";

    /// <summary>Every expression of the definition, in document order.</summary>
    public static IEnumerable<ExpressionSite> Expressions(ProcessDefinition definition)
    {
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            var path = StepPath(i);
            for (var f = 0; f < step.Flows.Count; f++)
            {
                if (step.Flows[f].When is { } when)
                {
                    yield return new($"{path}/next/{f}/when", when, ExpressionUse.Condition, step);
                }
            }

            switch (step)
            {
                case HumanTaskStep task:
                    if (task.Deadline?.At is { } deadlineAt)
                    {
                        yield return new($"{path}/deadline/at", deadlineAt, ExpressionUse.DateTime, step);
                    }

                    foreach (var site in Escalations(task.Escalations, path, step))
                    {
                        yield return site;
                    }

                    if (task.Allocation.Assignee is { } assignee)
                    {
                        yield return new($"{path}/allocation/assignee", assignee, ExpressionUse.Assignee, step);
                    }

                    if (task.MultiInstance is { } taskLoop)
                    {
                        yield return new($"{path}/multiInstance/collection", taskLoop.Collection, ExpressionUse.Collection, step);
                    }

                    break;
                case AutomatedStep automated when automated.MultiInstance is { } automatedLoop:
                    yield return new($"{path}/multiInstance/collection", automatedLoop.Collection, ExpressionUse.Collection, step);
                    break;
                case WaitMessageStep wait:
                    if (wait.Correlation is { } correlation)
                    {
                        yield return new($"{path}/correlation", correlation, ExpressionUse.Correlation, step);
                    }

                    if (wait.Timeout?.After.At is { } timeoutAt)
                    {
                        yield return new($"{path}/timeout/after/at", timeoutAt, ExpressionUse.DateTime, step);
                    }

                    foreach (var site in Escalations(wait.Escalations, path, step))
                    {
                        yield return site;
                    }

                    break;
                case TimerStep timer when timer.Wait.At is { } timerAt:
                    yield return new($"{path}/wait/at", timerAt, ExpressionUse.DateTime, step);
                    break;
                case SubProcessStep sub:
                    for (var m = 0; m < sub.Inputs.Count; m++)
                    {
                        yield return new($"{path}/inputs/{m}/value", sub.Inputs[m].Value, ExpressionUse.Value, step);
                    }

                    for (var m = 0; m < sub.Outputs.Count; m++)
                    {
                        yield return new($"{path}/outputs/{m}/value", sub.Outputs[m].Value, ExpressionUse.Value, step);
                    }

                    if (sub.MultiInstance is { } subLoop)
                    {
                        yield return new($"{path}/multiInstance/collection", subLoop.Collection, ExpressionUse.Collection, step);
                    }

                    break;
            }
        }

        for (var d = 0; d < definition.Deadlines.Count; d++)
        {
            var deadline = definition.Deadlines[d];
            var path = $"/deadlines/{d}";
            if (deadline.Within.At is { } withinAt)
            {
                yield return new($"{path}/within/at", withinAt, ExpressionUse.DateTime, null);
            }

            foreach (var site in Escalations(deadline.Escalations, path, null))
            {
                yield return site;
            }
        }
    }

    private static IEnumerable<ExpressionSite> Escalations(ValueArray<Escalation> escalations, string ownerPath, StepDefinition? step)
    {
        for (var e = 0; e < escalations.Count; e++)
        {
            if (escalations[e].At?.At is { } at)
            {
                yield return new($"{ownerPath}/escalations/{e}/at/at", at, ExpressionUse.DateTime, step);
            }
        }
    }
}
