using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Samples.SalesOffice;

/// <summary>The lead-to-deal process, read from the JSON definition copied beside the program.</summary>
internal static class SalesProcess
{
    /// <summary>The process id in the JSON file.</summary>
    public const string Id = "sales.lead-to-deal";

    /// <summary>The message every incoming contact is published as; the process's trigger names it.</summary>
    public const string ContactMessage = "contact.received";

    /// <summary>Where the definition lies, relative to the program's folder.</summary>
    public static string DefinitionPath { get; } = Path.Combine(AppContext.BaseDirectory, "definitions", "sales-office.json");

    /// <summary>Reads and validates the definition (the host validates it again on start, with the handlers).</summary>
    /// <returns>The definition.</returns>
    /// <exception cref="SalesOfficeException">The file is missing or not a valid definition.</exception>
    public static ProcessDefinition Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(DefinitionPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SalesOfficeException($"cannot read the process definition '{DefinitionPath}': {e.Message}");
        }

        var result = ProcessDefinitionJson.Load(bytes);
        return result.Definition ?? throw new SalesOfficeException(
            $"the process definition '{DefinitionPath}' is not valid: {string.Join(" ", result.Problems.Where(static p => p.Severity == ProblemSeverity.Error))}");
    }
}
