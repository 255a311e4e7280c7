namespace ProcessKit.Definitions;

/// <summary>Ends a path. The instance ends when no path is left, or at once when <see cref="Terminate"/> is set.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record EndStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.End;

    /// <summary>The outcome the instance ends with (for example <c>DealWon</c>, <c>LeadLost</c>). Optional.</summary>
    public string? Outcome { get; init; }

    /// <summary>Whether reaching this end ends the whole instance at once, cancelling every other path. Default <see langword="false"/>.</summary>
    public bool Terminate { get; init; }
}
