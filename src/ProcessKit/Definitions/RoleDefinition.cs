namespace ProcessKit.Definitions;

/// <summary>A kind of participant in a process (Operator, Manager, Cook). People are mapped to roles by the host.</summary>
/// <param name="Id">A unique id within the process, referenced by steps.</param>
/// <param name="Name">A name for people.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record RoleDefinition(string Id, string Name)
{
    /// <summary>What the role does, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>The cost of one hour of this role's work, used for the process's cost. Default 0.</summary>
    public decimal HourlyCost { get; init; }
}
