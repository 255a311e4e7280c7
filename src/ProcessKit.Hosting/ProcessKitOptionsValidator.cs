using Microsoft.Extensions.Options;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Definitions.Validation;

namespace ProcessKit.Hosting;

/// <summary>
/// Checks the registrations when the host starts (<c>ValidateOnStart</c>): at least one process, every
/// definition valid and readable, every handler a definition names registered, no name given two handlers.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal sealed class ProcessKitOptionsValidator : IValidateOptions<ProcessKitOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessKitOptions options)
    {
        var problems = new List<string>();
        var definitions = ProcessSources.Load(options, problems);
        if (options.Processes.Count == 0)
        {
            problems.Add("ProcessKit has no process: add one with AddProcess or AddProcessFromJson inside AddProcessKit.");
        }

        var handlers = ProcessSources.Handlers(options, problems);
        foreach (var definition in definitions)
        {
            foreach (var problem in ProcessDefinitionValidator.Validate(definition))
            {
                if (problem.Severity == ProblemSeverity.Error)
                {
                    problems.Add($"The process '{definition.Id}' (version {definition.Version}) is not valid: {problem}");
                }
            }

            foreach (var step in definition.Steps.OfType<AutomatedStep>())
            {
                if (!handlers.ContainsKey(step.Handler))
                {
                    problems.Add($"The step '{step.Id}' of the process '{definition.Id}' names the handler '{step.Handler}', which is not registered: add it with AddHandler(\"{step.Handler}\", ...) inside AddProcessKit.");
                }
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
