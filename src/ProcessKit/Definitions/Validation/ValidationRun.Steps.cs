namespace ProcessKit.Definitions.Validation;

/// <summary>Rules on each step: ids, names, roles, values and the settings of its kind.</summary>
internal sealed partial class ValidationRun
{
    private void CheckSteps()
    {
        for (var i = 0; i < _steps.Count; i++)
        {
            var path = StepPath(i);
            if (_steps[i] is not { } step)
            {
                Error(DefinitionProblemCodes.Required, path, $"Step {i} is missing.", "Remove the empty entry or describe the step.");
                continue;
            }

            if (CheckId(step.Id, path + "/id", "step id", IdPattern(), IdForm) && _stepIndex[step.Id] != i)
            {
                Error(DefinitionProblemCodes.DuplicateId, path + "/id", $"Two steps have the id '{step.Id}'.", $"Give each step its own id (the first '{step.Id}' is {StepPath(_stepIndex[step.Id])}).");
            }

            CheckRequired(step.Name, path + "/name", $"{Describe(i)} has no name.", "Give the step a name for people, for example \"Take the order\".");
            if (step.Role is { } role)
            {
                CheckRoleReference(role, path + "/role", Describe(i));
            }

            CheckDuration(step.WorkTime, path + "/workTime", "The work time", i);
            if (step.FixedCost < 0)
            {
                Error(DefinitionProblemCodes.InvalidValue, path + "/fixedCost", $"The fixed cost of {Of(i)} is negative ({step.FixedCost}).", "Set a cost of 0 or more.");
            }

            for (var f = 0; f < step.Flows.Count; f++)
            {
                if (step.Flows[f] is not { } flow)
                {
                    Error(DefinitionProblemCodes.Required, $"{path}/next/{f}", $"Flow {f} of {Of(i)} is missing.", "Remove the empty entry or name the step the flow leads to.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(flow.To) || !_stepIndex.ContainsKey(flow.To))
                {
                    CheckStepReference(flow.To, $"{path}/next/{f}/to", $"{Describe(i)} has a flow to", required: true);
                }
            }

            CheckKindSettings(i, step, path);
            CheckFlows(i, step);
        }
    }

    private void CheckKindSettings(int i, StepDefinition step, string path)
    {
        switch (step)
        {
            case HumanTaskStep task:
                if (string.IsNullOrWhiteSpace(task.Role))
                {
                    Error(DefinitionProblemCodes.TaskWithoutRole, path, $"{Describe(i)} has no role: nobody would be offered the task.", "Name the role responsible for the task ('role'), one of: " + List(_roles) + ".");
                }

                CheckOutcomes(i, task, path);
                CheckReads(i, task.Reads, path, task.MultiInstance);
                CheckFields(task.Writes, path + "/writes", $"the writes of {Of(i)}");
                CheckDuration(task.GoalTime, path + "/goalTime", "The goal time", i);
                CheckDue(task.Deadline, path + "/deadline", "the deadline", i);
                CheckEscalations(task.Escalations, path, Of(i));
                CheckAllocation(i, task.Allocation, path + "/allocation");
                CheckMultiInstance(i, task.MultiInstance, path);
                break;
            case AutomatedStep automated:
                CheckRequired(automated.Handler, path + "/handler", $"{Describe(i)} names no handler.", "Name the handler registered for this step, for example \"RegisterLead\".");
                CheckRetry(i, automated.Retry, path + "/retry");
                CheckDuration(automated.Timeout, path + "/timeout", "The timeout", i);
                CheckReads(i, automated.Reads, path, automated.MultiInstance);
                CheckFields(automated.Writes, path + "/writes", $"the writes of {Of(i)}");
                CheckMultiInstance(i, automated.MultiInstance, path);
                break;
            case WaitMessageStep wait:
                CheckRequired(wait.Message, path + "/message", $"{Describe(i)} names no message to wait for.", "Name the message, for example \"deal.delivered\".");
                CheckFields(wait.Writes, path + "/writes", $"the writes of {Of(i)}");
                if (wait.Timeout is { } timeout)
                {
                    CheckDue(timeout.After, path + "/timeout/after", "the timeout", i);
                    CheckStepReference(timeout.To, path + "/timeout/to", $"The timeout of {Of(i)} goes to", required: true);
                }

                CheckEscalations(wait.Escalations, path, Of(i));
                break;
            case TimerStep timer:
                if (timer.Wait is null)
                {
                    Error(DefinitionProblemCodes.Required, path, $"{Describe(i)} has no time to wait for.", "Give 'wait' a duration ('after') or a date-time expression ('at').");
                }

                CheckDue(timer.Wait, path + "/wait", "the wait", i);
                break;
            case NotificationStep when string.IsNullOrWhiteSpace(step.Role):
                Error(DefinitionProblemCodes.Required, path, $"{Describe(i)} names no role to notify.", "Name the role whose people are told ('role'), one of: " + List(_roles) + ".");
                break;
            case SubProcessStep sub:
                CheckRequired(sub.ProcessId, path + "/process", $"{Describe(i)} names no process to run.", "Name the id of the process to run ('process').");
                if (sub.Version < 1)
                {
                    Error(DefinitionProblemCodes.InvalidValue, path + "/version", $"{Describe(i)} asks for version {sub.Version}; versions count from 1.", "Give a version of 1 or more, or leave it out to run the newest.");
                }

                CheckMappings(i, sub.Inputs, path + "/inputs");
                CheckMappings(i, sub.Outputs, path + "/outputs");
                CheckMultiInstance(i, sub.MultiInstance, path);
                break;
            case ParallelJoinStep join:
                CheckRequired(join.Split, path + "/split", $"{Describe(i)} names no split.", "Name the ParallelSplit step whose branches this step joins ('split').");
                break;
            case InclusiveMergeStep merge:
                CheckRequired(merge.Split, path + "/split", $"{Describe(i)} names no split.", "Name the InclusiveSplit step whose branches this step merges ('split').");
                break;
        }
    }

    private void CheckOutcomes(int i, HumanTaskStep task, string path)
    {
        if (task.Outcomes.IsEmpty)
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var o = 0; o < task.Outcomes.Count; o++)
        {
            var outcome = task.Outcomes[o];
            if (string.IsNullOrWhiteSpace(outcome))
            {
                Error(DefinitionProblemCodes.Required, $"{path}/outcomes/{o}", $"Outcome {o} of {Of(i)} is empty.", "Name the outcome, for example \"qualified\", or remove it.");
            }
            else if (!seen.TryAdd(outcome, o))
            {
                Error(DefinitionProblemCodes.DuplicateId, $"{path}/outcomes/{o}", $"{Describe(i)} declares the outcome '{outcome}' twice.", "Remove the second one.");
            }
        }
    }

    private void CheckReads(int i, ValueArray<string> reads, string path, MultiInstance? loop)
    {
        for (var r = 0; r < reads.Count; r++)
        {
            var read = reads[r];
            if (string.IsNullOrWhiteSpace(read))
            {
                Error(DefinitionProblemCodes.Required, $"{path}/reads/{r}", $"Read {r} of {Of(i)} is empty.", "Name a declared field, or remove the entry.");
                continue;
            }

            var field = Expressions.ExpressionLanguage.FieldOf(read);
            if (!_fields.ContainsKey(field) && !string.Equals(field, loop?.ItemName, StringComparison.Ordinal))
            {
                Error(DefinitionProblemCodes.UnknownField, $"{path}/reads/{r}", $"{Describe(i)} reads the field '{field}', which nothing declares.", $"Declare '{field}' as a supplier input or in the writes of the step that sets it, or correct the name{Suggestion(field)}.");
            }
        }
    }

    private void CheckAllocation(int i, Allocation? allocation, string path)
    {
        if (allocation is null)
        {
            return;
        }

        if (allocation.Strategy == AllocationStrategy.Expression && allocation.Assignee is null)
        {
            Error(DefinitionProblemCodes.InvalidValue, path, $"{Describe(i)} is allocated by expression but has no assignee expression.", "Give 'assignee' an expression for the user id (for example managerId), or choose another strategy.");
        }
        else if (allocation.Strategy != AllocationStrategy.Expression && allocation.Assignee is not null)
        {
            Error(DefinitionProblemCodes.InvalidValue, path + "/assignee", $"{Describe(i)} has an assignee expression, but its strategy is {allocation.Strategy}, which does not use it.", "Set the strategy to Expression, or remove the assignee.");
        }

        for (var s = 0; s < allocation.SeparateFrom.Count; s++)
        {
            CheckStepReference(allocation.SeparateFrom[s], $"{path}/separateFrom/{s}", $"The separation of duties of {Of(i)} names", required: true);
        }

        if (allocation.RetainFamiliar is { } familiar)
        {
            CheckStepReference(familiar, path + "/retainFamiliar", $"The retain-familiar rule of {Of(i)} names", required: true);
        }
    }

    private void CheckRetry(int i, RetryPolicy? retry, string path)
    {
        if (retry is null)
        {
            return;
        }

        if (retry.MaxAttempts < 1)
        {
            Error(DefinitionProblemCodes.InvalidValue, path + "/maxAttempts", $"The retry policy of {Of(i)} allows {retry.MaxAttempts} attempts; at least 1 is needed.", "Set maxAttempts to 1 (no retry) or more.");
        }

        CheckDuration(retry.Delay, path + "/delay", "The retry delay", i);
        if (double.IsNaN(retry.BackoffMultiplier) || retry.BackoffMultiplier < 1)
        {
            Error(DefinitionProblemCodes.InvalidValue, path + "/backoffMultiplier", $"The backoff multiplier of {Of(i)} is {retry.BackoffMultiplier}; delays may not shrink.", "Set backoffMultiplier to 1 (constant delays) or more.");
        }

        CheckDuration(retry.MaxDelay, path + "/maxDelay", "The longest retry delay", i);
    }

    private void CheckMultiInstance(int i, MultiInstance? loop, string path)
    {
        if (loop is null)
        {
            return;
        }

        CheckId(loop.ItemName, path + "/multiInstance/itemName", "item name", FieldNamePattern(), FieldForm);
        if (loop.RequiredCompletions < 1)
        {
            Error(DefinitionProblemCodes.InvalidValue, path + "/multiInstance/requiredCompletions", $"{Describe(i)} requires {loop.RequiredCompletions} completions; at least 1 is needed.", "Set requiredCompletions to 1 or more, or leave it out to wait for every item.");
        }
    }

    private void CheckMappings(int i, ValueArray<DataMapping> mappings, string listPath)
    {
        var targets = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < mappings.Count; m++)
        {
            var path = $"{listPath}/{m}";
            if (mappings[m] is not { } mapping)
            {
                Error(DefinitionProblemCodes.Required, path, $"Mapping {m} of {Of(i)} is missing.", "Remove the empty entry or give a target and a value.");
                continue;
            }

            if (CheckId(mapping.Target, path + "/target", "mapping target", FieldNamePattern(), FieldForm) && !targets.TryAdd(mapping.Target, m))
            {
                Error(DefinitionProblemCodes.DuplicateId, path + "/target", $"{Describe(i)} maps the field '{mapping.Target}' twice.", "Keep one mapping per target field.");
            }

            if (mapping.Value is null)
            {
                Error(DefinitionProblemCodes.Required, path + "/value", $"Mapping {m} of {Of(i)} has no value.", "Give an expression for the value.");
            }
        }
    }
}
