namespace ProcessKit.Definitions.Json;

/// <summary>Limits the JSON reader applies to a definition document, which may come from an untrusted source.</summary>
/// <remarks>Immutable and thread-safe. Every limit is checked before the document is used; going over one is a <see cref="DefinitionProblemCodes.Limit"/> error.</remarks>
public sealed record DefinitionReaderOptions
{
    /// <summary>The default options.</summary>
    public static DefinitionReaderOptions Default { get; } = new();

    /// <summary>The largest document, in bytes. Default 4 MiB; at least 1.</summary>
    public int MaxBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The deepest nesting of objects and arrays. Default 32; between 1 and <see cref="MaxAllowedDepth"/>.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The most steps one process may have. Default 2,000.</summary>
    public int MaxSteps { get; init; } = 2_000;

    /// <summary>The longest expression, in characters. Default 1,000.</summary>
    public int MaxExpressionLength { get; init; } = 1_000;

    /// <summary>Throws when a limit is out of range.</summary>
    internal void Validate()
    {
        // Array.MaxLength - 1, so that MaxBytes + 1 bytes can always be buffered.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBytes, nameof(MaxBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBytes, Array.MaxLength - 1, nameof(MaxBytes));

        // The schema is evaluated recursively: the depth stays far from what the stack can take.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDepth, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDepth, MaxAllowedDepth, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps, nameof(MaxSteps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxExpressionLength, nameof(MaxExpressionLength));
    }

    /// <summary>The largest <see cref="MaxDepth"/> accepted: 256.</summary>
    public const int MaxAllowedDepth = 256;
}
