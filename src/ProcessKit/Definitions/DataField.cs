namespace ProcessKit.Definitions;

/// <summary>
/// A typed piece of process data: an input a supplier brings, an output a client receives, or a
/// field a step reads or writes. Start data and results are checked against these declarations.
/// </summary>
/// <param name="Name">The field name, used in expressions. A letter followed by letters, digits or <c>_</c>.</param>
/// <param name="Type">The field type.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DataField(string Name, DataType Type)
{
    /// <summary>Whether a value must be present. Default <see langword="false"/>.</summary>
    public bool Required { get; init; }

    /// <summary>What the field means, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The smallest allowed value of a <see cref="DataType.Number"/> field. Optional.</summary>
    public decimal? Minimum { get; init; }

    /// <summary>The largest allowed value of a <see cref="DataType.Number"/> field. Optional.</summary>
    public decimal? Maximum { get; init; }
}
