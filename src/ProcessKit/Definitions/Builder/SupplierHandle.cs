namespace ProcessKit.Definitions;

/// <summary>A supplier declared with <see cref="ProcessBuilder.Supplier"/>: who starts the process and what they bring.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to.</remarks>
public sealed class SupplierHandle
{
    private readonly string _name;
    private readonly List<DataField> _inputs = [];
    private string? _description;

    internal SupplierHandle(string id, string name)
    {
        Id = id;
        _name = name;
    }

    /// <summary>The supplier id.</summary>
    public string Id { get; }

    /// <summary>Sets what the supplier is, for people. Default none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is <see langword="null"/>, empty or white space.</exception>
    public SupplierHandle Description(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _description = description;
        return this;
    }

    /// <summary>Adds inputs the supplier brings; start data is checked against them. Create fields with <see cref="Field"/>.</summary>
    /// <param name="inputs">The fields, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or one of its items is <see langword="null"/>.</exception>
    public SupplierHandle Inputs(params DataField[] inputs)
    {
        BuilderArguments.AddAll(_inputs, inputs);
        return this;
    }

    internal Supplier ToSupplier() => new(Id, _name) { Description = _description, Inputs = [.. _inputs] };
}
