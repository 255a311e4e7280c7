namespace ProcessKit.Definitions.Validation;

/// <summary>Rule: the flows each step kind allows.</summary>
internal sealed partial class ValidationRun
{
    private static readonly HashSet<string> NoOutcomes = [];

    private void CheckFlows(int i, StepDefinition step)
    {
        switch (step.Kind)
        {
            case StepKind.End:
                if (!step.Flows.IsEmpty)
                {
                    Error(DefinitionProblemCodes.InvalidFlow, StepPath(i) + "/next", $"{Describe(i)} has {step.Flows.Count} outgoing flow(s); an End step ends its path.", "Remove the flows, or use another kind of step if the process goes on.");
                }

                break;
            case StepKind.Automated or StepKind.Timer or StepKind.WaitMessage or StepKind.Notification
                or StepKind.SubProcess or StepKind.ParallelJoin or StepKind.InclusiveMerge:
                if (step.Flows.Count != 1)
                {
                    Error(
                        DefinitionProblemCodes.InvalidFlow,
                        step.Flows.IsEmpty ? StepPath(i) : $"{StepPath(i)}/next/1",
                        $"{Describe(i)} has {step.Flows.Count} outgoing flows; a {step.Kind} step has exactly one.",
                        step.Flows.IsEmpty
                            ? "Add a flow to the step that follows (or to an End step)."
                            : "Keep one flow; to choose between paths lead it to a Decision step, to run paths at once to a ParallelSplit step.");
                }

                CheckNoConditions(i, step);
                break;
            case StepKind.ParallelSplit:
                CheckAtLeastTwo(i, step, "branch");
                CheckNoConditions(i, step);
                break;
            case StepKind.EventChoice:
                CheckAtLeastTwo(i, step, "event");
                CheckNoConditions(i, step);
                CheckEventTargets(i, step);
                break;
            case StepKind.Decision or StepKind.InclusiveSplit:
                CheckAtLeastTwo(i, step, "path");
                CheckConditionalFlows(i, step);
                break;
            case StepKind.HumanTask when step is HumanTaskStep task:
                CheckTaskFlows(i, task);
                break;
        }
    }

    private void CheckAtLeastTwo(int i, StepDefinition step, string what)
    {
        if (step.Flows.Count < 2)
        {
            Error(
                DefinitionProblemCodes.InvalidFlow,
                step.Flows.IsEmpty ? StepPath(i) : StepPath(i) + "/next",
                $"{Describe(i)} has {step.Flows.Count} outgoing flow(s); it needs at least two, one per {what}.",
                step.Kind == StepKind.Decision || step.Kind == StepKind.InclusiveSplit
                    ? "Add a flow per path with a condition ('when') and a default flow, or use a plain flow if there is no choice."
                    : "Add a flow per branch, or remove the step and use a plain flow.");
        }
    }

    private void CheckNoConditions(int i, StepDefinition step)
    {
        for (var f = 0; f < step.Flows.Count; f++)
        {
            if (step.Flows[f] is not { } flow)
            {
                continue;
            }

            var path = $"{StepPath(i)}/next/{f}";
            if (flow.When is not null)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path + "/when", $"Flow {f} of {Of(i)} has a condition, but a {step.Kind} step takes its flows without conditions.", "Remove 'when'; to choose a path by a condition, lead the flow to a Decision step.");
            }

            if (flow.Outcome is not null)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path + "/outcome", $"Flow {f} of {Of(i)} names an outcome, but only human tasks have outcomes.", "Remove 'outcome'.");
            }

            if (flow.IsDefault)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path + "/default", $"Flow {f} of {Of(i)} is marked default, but only decisions and inclusive splits have a default flow.", "Remove 'default'.");
            }
        }
    }

    private void CheckEventTargets(int i, StepDefinition step)
    {
        for (var f = 0; f < step.Flows.Count; f++)
        {
            if (step.Flows[f] is { To: { } to } && _stepIndex.TryGetValue(to, out var target)
                && _steps[target]?.Kind is not (StepKind.WaitMessage or StepKind.Timer or StepKind.HumanTask))
            {
                Error(DefinitionProblemCodes.InvalidFlow, $"{StepPath(i)}/next/{f}/to", $"Flow {f} of {Of(i)} leads to {Of(target)}; an event choice waits for messages, timers or human tasks.", "Lead each flow of the event choice to a WaitMessage, Timer or HumanTask step.");
            }
        }
    }

    private void CheckConditionalFlows(int i, StepDefinition step)
    {
        var isDecision = step.Kind == StepKind.Decision;
        int? firstDefault = null;
        for (var f = 0; f < step.Flows.Count; f++)
        {
            if (step.Flows[f] is not { } flow)
            {
                continue;
            }

            var path = $"{StepPath(i)}/next/{f}";
            if (flow.IsDefault)
            {
                if (firstDefault is { } first)
                {
                    Error(DefinitionProblemCodes.DecisionWithoutDefault, path + "/default", $"{Describe(i)} has more than one default flow (flows {first} and {f}).", "Keep one default flow; give the others a condition ('when').");
                }

                firstDefault ??= f;
                if (flow.When is not null)
                {
                    Error(DefinitionProblemCodes.InvalidFlow, path + "/when", $"The default flow of {Of(i)} has a condition; it is taken when no other condition holds.", "Remove 'when' from the default flow, or make it a conditional flow.");
                }
            }
            else if (flow.When is null)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path, $"Flow {f} of {Of(i)} has no condition and is not the default.", "Give the flow a condition ('when'), or mark it as the default flow.");
            }

            if (flow.Outcome is not null)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path + "/outcome", $"Flow {f} of {Of(i)} names an outcome, but only human tasks have outcomes.", "Remove 'outcome'; a decision chooses by conditions ('when').");
            }
        }

        if (isDecision && firstDefault is null && step.Flows.Count > 0)
        {
            Error(DefinitionProblemCodes.DecisionWithoutDefault, StepPath(i) + "/next", $"{Describe(i)} has no default flow: when no condition holds, the instance would be stuck.", "Mark one flow without condition as the default ('default': true).");
        }
    }

    private void CheckTaskFlows(int i, HumanTaskStep task)
    {
        var declared = task.Outcomes.IsEmpty ? NoOutcomes : new HashSet<string>(task.Outcomes.Where(static o => !string.IsNullOrWhiteSpace(o)), StringComparer.Ordinal);
        var routed = task.Outcomes.IsEmpty ? null : new HashSet<string>(StringComparer.Ordinal);
        var catchAll = 0;
        for (var f = 0; f < task.Flows.Count; f++)
        {
            if (task.Flows[f] is not { } flow)
            {
                continue;
            }

            var path = $"{StepPath(i)}/next/{f}";
            if (flow.IsDefault)
            {
                Error(DefinitionProblemCodes.InvalidFlow, path + "/default", $"Flow {f} of {Of(i)} is marked default, but a human task routes by outcome.", "Remove 'default'; a flow without outcome catches every outcome that has no flow of its own.");
            }

            if (flow.Outcome is null)
            {
                catchAll++;
                if (catchAll > 1 && declared.Count > 0)
                {
                    Error(DefinitionProblemCodes.InvalidFlow, path, $"{Describe(i)} has more than one flow without outcome; it could not tell which to take.", "Name an outcome on each flow, keeping at most one flow without outcome as the catch-all.");
                }
            }
            else if (!declared.Contains(flow.Outcome))
            {
                Error(
                    DefinitionProblemCodes.OutcomeWithoutRoute,
                    path + "/outcome",
                    declared.Count == 0
                        ? $"Flow {f} of {Of(i)} follows the outcome '{flow.Outcome}', but the task declares no outcomes."
                        : $"Flow {f} of {Of(i)} follows the outcome '{flow.Outcome}', which the task does not declare.",
                    $"Declare '{flow.Outcome}' in the task's outcomes, or name one of: {List(declared)}.");
            }
            else
            {
                routed?.Add(flow.Outcome);
            }
        }

        if (declared.Count == 0)
        {
            if (task.Flows.IsEmpty)
            {
                Error(DefinitionProblemCodes.InvalidFlow, StepPath(i), $"{Describe(i)} has no outgoing flow.", "Add a flow to the step that follows the task.");
            }
            else if (task.Flows.Count > 1)
            {
                Error(DefinitionProblemCodes.InvalidFlow, StepPath(i) + "/next/1", $"{Describe(i)} has {task.Flows.Count} outgoing flows but declares no outcomes, so it could not tell which to take.", "Keep one flow, or declare outcomes and name one on each flow.");
            }

            return;
        }

        if (catchAll > 0)
        {
            return;
        }

        for (var o = 0; o < task.Outcomes.Count; o++)
        {
            var outcome = task.Outcomes[o];
            if (!string.IsNullOrWhiteSpace(outcome) && routed?.Contains(outcome) != true && task.Outcomes.AsImmutableArray().IndexOf(outcome) == o)
            {
                Error(DefinitionProblemCodes.OutcomeWithoutRoute, $"{StepPath(i)}/outcomes/{o}", $"The outcome '{outcome}' of {Of(i)} has no flow: an instance completed with it would be stuck.", $"Add a flow with 'outcome': \"{outcome}\", or one flow without outcome as the catch-all.");
            }
        }
    }
}
