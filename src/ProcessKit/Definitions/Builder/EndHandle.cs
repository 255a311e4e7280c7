namespace ProcessKit.Definitions;

/// <summary>An end declared with <see cref="ProcessBuilder.End"/>: ends a path, or the whole instance when it terminates. It has no flows.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class EndHandle : StepHandle<EndHandle>
{
    private string? _outcome;
    private bool _terminate;

    internal EndHandle(ProcessBuilder builder, string id, string name)
        : base(builder, id, name)
    {
    }

    /// <summary>Sets the outcome the instance ends with (for example <c>DealWon</c>). Default none.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is <see langword="null"/>, empty or white space.</exception>
    public EndHandle Outcome(string outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome);
        _outcome = outcome;
        return this;
    }

    /// <summary>Makes reaching this end end the whole instance at once, cancelling every other path. Default: only this path ends.</summary>
    /// <returns>This handle.</returns>
    public EndHandle Terminate()
    {
        _terminate = true;
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public EndHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new EndStep(Id, Name) { Outcome = _outcome, Terminate = _terminate };
}
