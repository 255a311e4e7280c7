namespace ProcessKit.Definitions;

/// <summary>A client declared with <see cref="ProcessBuilder.Client"/>: who receives the output of the process and what it is.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to.</remarks>
public sealed class ClientHandle
{
    private readonly string _name;
    private readonly List<DataField> _outputs = [];
    private string? _description;

    internal ClientHandle(string id, string name)
    {
        Id = id;
        _name = name;
    }

    /// <summary>The client id.</summary>
    public string Id { get; }

    /// <summary>Sets what the client is, for people. Default none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is <see langword="null"/>, empty or white space.</exception>
    public ClientHandle Description(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _description = description;
        return this;
    }

    /// <summary>Adds outputs the client receives; an instance's results are checked against them. Create fields with <see cref="Field"/>.</summary>
    /// <param name="outputs">The fields, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outputs"/> or one of its items is <see langword="null"/>.</exception>
    public ClientHandle Outputs(params DataField[] outputs)
    {
        BuilderArguments.AddAll(_outputs, outputs);
        return this;
    }

    internal Client ToClient() => new(Id, _name) { Description = _description, Outputs = [.. _outputs] };
}
