using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace ProcessKit.Definitions.Validation;

/// <summary>One validation of one definition: collects every problem, then orders them by document position.</summary>
/// <remarks>Not thread-safe; used once by <see cref="ProcessDefinitionValidator.Validate(ProcessDefinition)"/>.</remarks>
internal sealed partial class ValidationRun
{
    private readonly ProcessDefinition _definition;
    private readonly List<DefinitionProblem> _problems = [];
    private readonly ValueArray<StepDefinition> _steps;
    private readonly string?[] _of;
    private readonly string?[] _describe;

    // Step id -> index of its first occurrence; duplicates and empty ids are left out.
    private readonly Dictionary<string, int> _stepIndex = new(StringComparer.Ordinal);
    private readonly HashSet<string> _roles = new(StringComparer.Ordinal);

    // Every declared field, with its type when known (sub-process output targets have none).
    private readonly Dictionary<string, DataType?> _fields = new(StringComparer.Ordinal);

    public ValidationRun(ProcessDefinition definition)
    {
        _definition = definition;
        _steps = definition.Steps;
        _of = new string?[_steps.Count];
        _describe = new string?[_steps.Count];
        for (var i = 0; i < _steps.Count; i++)
        {
            if (_steps[i] is { Id: { Length: > 0 } id })
            {
                _stepIndex.TryAdd(id, i);
            }
        }

        foreach (var role in definition.Roles)
        {
            if (role is { Id: { Length: > 0 } roleId })
            {
                _roles.Add(roleId);
            }
        }

        CollectFields();
    }

    public ValueArray<DefinitionProblem> Run()
    {
        CheckProcess();
        CheckParties();
        CheckRoles();
        CheckSteps();
        CheckDeadlines();
        CheckTargets();
        CheckTriggers();
        CheckExpressions();
        CheckGraph();
        return ImmutableArray.CreateRange(DocumentOrder.Sort(_problems));
    }

    private void CollectFields()
    {
        foreach (var supplier in _definition.Suppliers)
        {
            AddFields(supplier?.Inputs ?? default);
        }

        foreach (var client in _definition.Clients)
        {
            AddFields(client?.Outputs ?? default);
        }

        foreach (var step in _steps)
        {
            switch (step)
            {
                case HumanTaskStep task:
                    AddFields(task.Writes);
                    break;
                case AutomatedStep automated:
                    AddFields(automated.Writes);
                    break;
                case WaitMessageStep wait:
                    AddFields(wait.Writes);
                    break;
                case SubProcessStep sub:
                    foreach (var mapping in sub.Outputs)
                    {
                        if (mapping is { Target: { Length: > 0 } target })
                        {
                            _fields.TryAdd(target, null);
                        }
                    }

                    break;
            }
        }
    }

    private void AddFields(ValueArray<DataField> fields)
    {
        foreach (var field in fields)
        {
            if (field is { Name: { Length: > 0 } name })
            {
                _fields.TryAdd(name, field.Type);
            }
        }
    }

    private void Error(string code, string path, string message, string hint) =>
        _problems.Add(new DefinitionProblem(ProblemSeverity.Error, code, path, message) { Hint = hint });

    private void Warning(string code, string path, string message, string hint) =>
        _problems.Add(new DefinitionProblem(ProblemSeverity.Warning, code, path, message) { Hint = hint });

    private static string StepPath(int index) => DefinitionWalker.StepPath(index);

    // "the HumanTask step 'qualify'", for the middle of a sentence; Describe for its start.
    private string Of(int stepIndex) =>
        _of[stepIndex] ??= _steps[stepIndex] is { } step ? $"the {step.Kind} step '{step.Id}'" : $"step {stepIndex}";

    private string Describe(int stepIndex) => _describe[stepIndex] ??= "T" + Of(stepIndex)[1..];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ProcessIdPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldNamePattern();
}
