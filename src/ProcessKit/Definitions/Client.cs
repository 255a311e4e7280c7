namespace ProcessKit.Definitions;

/// <summary>Who receives the output of a process, and what that output is.</summary>
/// <param name="Id">A unique id within the process.</param>
/// <param name="Name">A name for people (for example "Guest", "Company").</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Client(string Id, string Name)
{
    /// <summary>What the client is, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The outputs the client receives; an instance's results are checked against them.</summary>
    public ValueArray<DataField> Outputs { get; init; }
}
