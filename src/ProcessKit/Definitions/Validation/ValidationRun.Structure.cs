using System.Text.RegularExpressions;

namespace ProcessKit.Definitions.Validation;

/// <summary>Rules on the process, its parties, roles, deadlines, targets and triggers: required values, ids, duplicates, references and values.</summary>
internal sealed partial class ValidationRun
{
    private const string IdForm = "a letter followed by letters, digits, '_' or '-'";
    private const string FieldForm = "a letter or '_' followed by letters, digits or '_'";

    private void CheckProcess()
    {
        CheckId(_definition.Id, "/id", "process id", ProcessIdPattern(), "a letter followed by letters, digits, '_', '-' or '.'");
        CheckRequired(_definition.Name, "/name", "The process has no name.", "Give the process a name for people, for example \"Serving a guest\".");
        if (_definition.Version < 1)
        {
            Error(DefinitionProblemCodes.InvalidValue, "/version", $"The version is {_definition.Version}; versions count from 1.", "Set the version to 1 or more.");
        }

        if (_definition.OwnerRole is { } owner)
        {
            CheckRoleReference(owner, "/ownerRole", "The owner role");
        }

        if (_steps.IsEmpty)
        {
            Error(DefinitionProblemCodes.Required, "/steps", "The process has no step.", "Add at least one step, and an End step where the process finishes.");
        }

        if (_definition.StartStep is { } start)
        {
            if (string.IsNullOrWhiteSpace(start))
            {
                Error(DefinitionProblemCodes.Required, "/start", "The start step is empty.", "Name the id of the first step, or leave 'start' out to start at the first step listed.");
            }
            else if (!_stepIndex.ContainsKey(start))
            {
                Error(DefinitionProblemCodes.UnknownStep, "/start", $"The start step '{start}' is not a step of the process.", StepHint(start));
            }
        }
    }

    private void CheckParties()
    {
        var supplierIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _definition.Suppliers.Count; i++)
        {
            var path = $"/suppliers/{i}";
            if (_definition.Suppliers[i] is not { } supplier)
            {
                Error(DefinitionProblemCodes.Required, path, $"Supplier {i} is missing.", "Remove the empty entry or describe the supplier.");
                continue;
            }

            CheckId(supplier.Id, path + "/id", "supplier id", IdPattern(), IdForm);
            CheckDuplicate(supplierIds, supplier.Id, i, path + "/id", "supplier");
            CheckRequired(supplier.Name, path + "/name", $"The supplier '{supplier.Id}' has no name.", "Give the supplier a name for people, for example \"Guest\".");
            CheckFields(supplier.Inputs, path + "/inputs", $"the inputs of the supplier '{supplier.Id}'");
        }

        var clientIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _definition.Clients.Count; i++)
        {
            var path = $"/clients/{i}";
            if (_definition.Clients[i] is not { } client)
            {
                Error(DefinitionProblemCodes.Required, path, $"Client {i} is missing.", "Remove the empty entry or describe the client.");
                continue;
            }

            CheckId(client.Id, path + "/id", "client id", IdPattern(), IdForm);
            CheckDuplicate(clientIds, client.Id, i, path + "/id", "client");
            CheckRequired(client.Name, path + "/name", $"The client '{client.Id}' has no name.", "Give the client a name for people, for example \"Company\".");
            CheckFields(client.Outputs, path + "/outputs", $"the outputs of the client '{client.Id}'");
        }
    }

    private void CheckRoles()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _definition.Roles.Count; i++)
        {
            var path = $"/roles/{i}";
            if (_definition.Roles[i] is not { } role)
            {
                Error(DefinitionProblemCodes.Required, path, $"Role {i} is missing.", "Remove the empty entry or describe the role.");
                continue;
            }

            CheckId(role.Id, path + "/id", "role id", IdPattern(), IdForm);
            CheckDuplicate(ids, role.Id, i, path + "/id", "role");
            CheckRequired(role.Name, path + "/name", $"The role '{role.Id}' has no name.", "Give the role a name for people, for example \"Waiter\".");
            if (role.HourlyCost < 0)
            {
                Error(DefinitionProblemCodes.InvalidValue, path + "/hourlyCost", $"The hourly cost of the role '{role.Id}' is negative ({role.HourlyCost}).", "Set a cost of 0 or more.");
            }
        }
    }

    private void CheckDeadlines()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var d = 0; d < _definition.Deadlines.Count; d++)
        {
            var path = $"/deadlines/{d}";
            if (_definition.Deadlines[d] is not { } deadline)
            {
                Error(DefinitionProblemCodes.Required, path, $"Deadline {d} is missing.", "Remove the empty entry or describe the deadline.");
                continue;
            }

            CheckId(deadline.Id, path + "/id", "deadline id", IdPattern(), IdForm);
            CheckDuplicate(ids, deadline.Id, d, path + "/id", "deadline");
            CheckStepReference(deadline.From, path + "/from", $"The deadline '{deadline.Id}' starts at", required: true);
            if (deadline.Until is { } until)
            {
                CheckStepReference(until, path + "/until", $"The deadline '{deadline.Id}' stops at", required: true);
            }

            CheckDue(deadline.Within, path + "/within", $"the deadline '{deadline.Id}'");
            CheckDuration(deadline.GoalTime, path + "/goalTime", $"The goal time of the deadline '{deadline.Id}'");
            CheckEscalations(deadline.Escalations, path, $"the deadline '{deadline.Id}'");
        }
    }

    private void CheckTargets()
    {
        if (_definition.Targets is not { } targets)
        {
            return;
        }

        CheckDuration(targets.CycleTime, "/targets/cycleTime", "The target cycle time");
        if (targets.CostPerInstance < 0)
        {
            Error(DefinitionProblemCodes.InvalidValue, "/targets/costPerInstance", $"The target cost per instance is negative ({targets.CostPerInstance}).", "Set a target cost of 0 or more.");
        }

        if (targets.SatisfactionField is { } field)
        {
            if (!_fields.TryGetValue(field, out var type))
            {
                Error(DefinitionProblemCodes.UnknownField, "/targets/satisfactionField", $"The satisfaction field '{field}' is not declared.", $"Declare '{field}' as a Number output of a client (or written by a step){Suggestion(field)}.");
            }
            else if (type is not DataType.Number)
            {
                Error(DefinitionProblemCodes.UnknownField, "/targets/satisfactionField", $"The satisfaction field '{field}' is declared as {(type is { } t ? t.ToString() : "a sub-process output")}, not as a Number.", $"Declare '{field}' with type Number (for example a rating from 1 to 5).");
            }
        }
    }

    private void CheckTriggers()
    {
        for (var t = 0; t < _definition.Triggers.Count; t++)
        {
            var path = $"/triggers/{t}";
            switch (_definition.Triggers[t])
            {
                case null:
                    Error(DefinitionProblemCodes.Required, path, $"Trigger {t} is missing.", "Remove the empty entry or describe the trigger.");
                    break;
                case { Kind: TriggerKind.Message, Message: var message } when string.IsNullOrWhiteSpace(message):
                    Error(DefinitionProblemCodes.Required, path, "A message trigger names no message.", "Name the message that starts the process, for example \"contact.received\".");
                    break;
                case { Kind: TriggerKind.Timer, Interval: null }:
                    Error(DefinitionProblemCodes.Required, path, "A timer trigger has no interval.", "Give the interval between starts, for example \"every\": \"P1D\".");
                    break;
                case { Kind: TriggerKind.Timer, Interval: { } interval }:
                    CheckDuration(interval, path + "/every", "The interval of a timer trigger");
                    break;
            }
        }
    }

    private void CheckFields(ValueArray<DataField> fields, string listPath, string where)
    {
        if (fields.IsEmpty)
        {
            return;
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var f = 0; f < fields.Count; f++)
        {
            var path = $"{listPath}/{f}";
            if (fields[f] is not { } field)
            {
                Error(DefinitionProblemCodes.Required, path, $"Field {f} of {where} is missing.", "Remove the empty entry or declare the field.");
                continue;
            }

            CheckId(field.Name, path + "/name", "field name", FieldNamePattern(), FieldForm);
            if (!string.IsNullOrEmpty(field.Name) && !names.TryAdd(field.Name, f))
            {
                Error(DefinitionProblemCodes.DuplicateId, path + "/name", $"The field '{field.Name}' is declared twice in {where}.", $"Remove one of the two, or rename one (the first is {listPath}/{names[field.Name]}).");
            }

            if (field.Type != DataType.Number && (field.Minimum is not null || field.Maximum is not null))
            {
                Error(DefinitionProblemCodes.InvalidValue, path + (field.Minimum is not null ? "/minimum" : "/maximum"), $"The field '{field.Name}' is a {field.Type}, but has a minimum or maximum.", "Remove the bounds, or make the field a Number.");
            }
            else if (field.Minimum > field.Maximum)
            {
                Error(DefinitionProblemCodes.InvalidValue, path + "/minimum", $"The minimum of the field '{field.Name}' ({field.Minimum}) is greater than its maximum ({field.Maximum}).", "Swap the two bounds, or correct one of them.");
            }
        }
    }

    private bool CheckId(string? id, string path, string what, Regex pattern, string form)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            Error(DefinitionProblemCodes.Required, path, $"The {what} is missing or empty.", $"Give an id: {form}.");
            return false;
        }

        if (!pattern.IsMatch(id))
        {
            Error(DefinitionProblemCodes.InvalidId, path, $"The {what} '{id}' is not in the allowed form.", $"Use {form}, for example '{Example(id)}'.");
            return false;
        }

        return true;
    }

    private static string Example(string id)
    {
        var cleaned = new string([.. id.Where(static c => char.IsAsciiLetterOrDigit(c) || c == '_')]);
        return cleaned.Length > 0 && char.IsAsciiLetter(cleaned[0]) ? cleaned : "x" + cleaned;
    }

    private void CheckRequired(string? value, string path, string message, string hint)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Error(DefinitionProblemCodes.Required, path, message, hint);
        }
    }

    private void CheckDuplicate(Dictionary<string, int> seen, string? id, int index, string path, string what)
    {
        if (!string.IsNullOrEmpty(id) && !seen.TryAdd(id, index))
        {
            Error(DefinitionProblemCodes.DuplicateId, path, $"Two {what}s have the id '{id}'.", $"Give each {what} its own id (the first '{id}' is {what} {seen[id]}).");
        }
    }

    // The label names the value; with a step index, "of <step>" is added (built only when there is a problem).
    private void CheckDuration(TimeSpan? value, string path, string label, int step = -1)
    {
        if (value is { } span && span <= TimeSpan.Zero)
        {
            var what = step < 0 ? label : $"{label} of {Of(step)}";
            Error(DefinitionProblemCodes.InvalidValue, path, $"{what} is {(span == TimeSpan.Zero ? "zero" : "negative")} ({span}).", "Give a positive duration, for example \"PT15M\".");
        }
    }

    private void CheckDue(DueTime? due, string path, string label, int step = -1)
    {
        if (due is null || (due.At is not null && due.After is null) || due.After > TimeSpan.Zero)
        {
            return;
        }

        var of = step < 0 ? label : $"{label} of {Of(step)}";
        if (due.After is null && due.At is null)
        {
            Error(DefinitionProblemCodes.Required, path, $"The time of {of} is neither a duration ('after') nor an expression ('at').", "Give a duration ('after') or a date-time expression ('at').");
        }

        CheckDuration(due.After, path + "/after", $"The time of {of}");
    }

    private void CheckEscalations(ValueArray<Escalation> escalations, string ownerPath, string owner)
    {
        for (var e = 0; e < escalations.Count; e++)
        {
            var path = $"{ownerPath}/escalations/{e}";
            if (escalations[e] is not { } escalation)
            {
                Error(DefinitionProblemCodes.Required, path, $"Escalation {e} of {owner} is missing.", "Remove the empty entry or describe the escalation.");
                continue;
            }

            CheckDue(escalation.At, path + "/at", $"escalation {e} of {owner}");
            if (escalation.Role is { } role)
            {
                CheckRoleReference(role, path + "/role", $"Escalation {e} of {owner}");
            }
            else if (escalation.Action is EscalationAction.NotifyRole or EscalationAction.Reassign)
            {
                Error(DefinitionProblemCodes.Required, path, $"Escalation {e} of {owner} is {escalation.Action} but names no role.", $"Name the role to {(escalation.Action == EscalationAction.NotifyRole ? "notify" : "reassign to")} ('role').");
            }

            if (escalation.To is { } to)
            {
                CheckStepReference(to, path + "/to", $"Escalation {e} of {owner} goes to", required: true);
            }
            else if (escalation.Action == EscalationAction.TakePath)
            {
                Error(DefinitionProblemCodes.Required, path, $"Escalation {e} of {owner} takes a path but names no step to go to.", "Name the step of the alternate path ('to').");
            }
        }
    }

    private void CheckRoleReference(string role, string path, string what)
    {
        if (string.IsNullOrWhiteSpace(role))
        {
            Error(DefinitionProblemCodes.Required, path, $"{what} names an empty role.", "Name a declared role, or leave the role out.");
        }
        else if (!_roles.Contains(role))
        {
            var close = _roles.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
            Error(DefinitionProblemCodes.UnknownRole, path, $"{what} names the role '{role}', which is not declared.", close is not null ? $"Did you mean '{close}'? Role ids are case-sensitive." : $"Declare the role '{role}' in 'roles', or name one of: {List(_roles)}.");
        }
    }

    private void CheckStepReference(string? id, string path, string what, bool required)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            if (required)
            {
                Error(DefinitionProblemCodes.Required, path, $"{what} an empty step id.", "Name the id of a step of the process.");
            }
        }
        else if (!_stepIndex.ContainsKey(id))
        {
            Error(DefinitionProblemCodes.UnknownStep, path, $"{what} '{id}', which is not a step of the process.", StepHint(id));
        }
    }

    private string StepHint(string id)
    {
        var close = _stepIndex.Keys.FirstOrDefault(s => string.Equals(s, id, StringComparison.OrdinalIgnoreCase));
        return close is not null
            ? $"Did you mean '{close}'? Step ids are case-sensitive."
            : $"Name one of the steps: {List(_stepIndex.Keys)}, or add a step with the id '{id}'.";
    }

    private string Suggestion(string field)
    {
        var close = _fields.Keys.FirstOrDefault(f => string.Equals(f, field, StringComparison.OrdinalIgnoreCase));
        return close is null ? string.Empty : $"; or did you mean '{close}'?";
    }

    private static string List(IEnumerable<string> names)
    {
        var all = names.Take(11).ToList();
        return all.Count == 0 ? "(none declared)" : string.Join(", ", all.Take(10)) + (all.Count > 10 ? ", ..." : string.Empty);
    }
}
