namespace ProcessKit.Definitions;

/// <summary>
/// A role declared with <see cref="ProcessBuilder.Role"/>. Give it to the steps the role does, to
/// escalations that notify or reassign to it, and to <see cref="ProcessBuilder.Owner"/>.
/// </summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class RoleHandle
{
    private readonly string _name;
    private string? _description;
    private decimal _hourlyCost;

    internal RoleHandle(ProcessBuilder builder, string id, string name)
    {
        Builder = builder;
        Id = id;
        _name = name;
    }

    /// <summary>The role id.</summary>
    public string Id { get; }

    internal ProcessBuilder Builder { get; }

    /// <summary>Sets what the role does, for people. Default none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is <see langword="null"/>, empty or white space.</exception>
    public RoleHandle Description(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _description = description;
        return this;
    }

    /// <summary>Sets the cost of one hour of this role's work, used for the process's cost. Default 0.</summary>
    /// <param name="hourlyCost">The cost per hour; not negative (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public RoleHandle HourlyCost(decimal hourlyCost)
    {
        _hourlyCost = hourlyCost;
        return this;
    }

    internal RoleDefinition ToRole() => new(Id, _name) { Description = _description, HourlyCost = _hourlyCost };
}
