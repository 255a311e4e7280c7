namespace ProcessKit.Definitions;

/// <summary>Who supplies a process with its input, and what that input is.</summary>
/// <param name="Id">A unique id within the process.</param>
/// <param name="Name">A name for people (for example "Guest").</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Supplier(string Id, string Name)
{
    /// <summary>What the supplier is, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The inputs the supplier brings; start data is checked against them.</summary>
    public ValueArray<DataField> Inputs { get; init; }
}
