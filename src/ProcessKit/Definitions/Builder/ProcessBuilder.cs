namespace ProcessKit.Definitions;

/// <summary>Builds a <see cref="ProcessDefinition"/> in fluent C#.</summary>
public sealed partial class ProcessBuilder
{
    /// <summary>Validates and returns the definition.</summary>
    /// <returns>The definition.</returns>
    /// <exception cref="DefinitionException">The definition has errors; every problem is listed.</exception>
    public ProcessDefinition Build() => throw new InvalidOperationException("PLACEHOLDER: the builder lands with the builder work.");
}
