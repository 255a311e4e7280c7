using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Hosting;

/// <summary>Turns the registrations into definitions and one handler per name, collecting what is wrong.</summary>
internal static class ProcessSources
{
    public static List<ProcessDefinition> Load(ProcessKitOptions options, List<string>? problems)
    {
        var definitions = new List<ProcessDefinition>();
        foreach (var source in options.Processes.Distinct())
        {
            if (source.Definition is { } definition)
            {
                definitions.Add(definition);
                continue;
            }

            var path = source.JsonPath!;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems?.Add($"The process file '{path}' cannot be read: {e.Message}");
                continue;
            }

            var result = ProcessDefinitionJson.Load(bytes);
            if (result.Definition is { } loaded)
            {
                definitions.Add(loaded);
            }
            else
            {
                problems?.Add($"The process file '{path}' is not a valid definition: {string.Join(" ", result.Problems.Where(static p => p.Severity == ProblemSeverity.Error))}");
            }
        }

        return definitions.Distinct().ToList();
    }

    public static Dictionary<string, HandlerRegistration> Handlers(ProcessKitOptions options, List<string>? problems)
    {
        var handlers = new Dictionary<string, HandlerRegistration>(StringComparer.Ordinal);
        foreach (var handler in options.Handlers.Distinct())
        {
            if (!handlers.TryAdd(handler.Name, handler))
            {
                problems?.Add($"Two different handlers are registered under the name '{handler.Name}'; register one.");
            }
        }

        return handlers;
    }
}
