namespace ProcessKit.Definitions.Json;

/// <summary>Limits the JSON reader applies to a definition document, which may come from an untrusted source.</summary>
/// <remarks>Immutable and thread-safe. Every limit is checked before the document is used; going over one is a <see cref="DefinitionProblemCodes.Limit"/> error.</remarks>
public sealed record DefinitionReaderOptions
{
    /// <summary>The default options.</summary>
    public static DefinitionReaderOptions Default { get; } = new();

    /// <summary>The largest document, in bytes. Default 4 MiB.</summary>
    public int MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The deepest nesting of objects and arrays. Default 32.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The most steps one process may have. Default 2,000.</summary>
    public int MaxSteps { get; init; } = 2_000;

    /// <summary>The longest expression, in characters. Default 1,000.</summary>
    public int MaxExpressionLength { get; init; } = 1_000;
}
