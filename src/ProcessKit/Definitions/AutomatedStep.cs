namespace ProcessKit.Definitions;

/// <summary>Work done by the developer's code: a handler registered by name.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <param name="Handler">The name the handler is registered under. No CLR type is named here.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record AutomatedStep(string Id, string Name, string Handler) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.Automated;

    /// <summary>
    /// Whether the handler runs as a job outside the transition (leased, retried with backoff, an
    /// incident after its last attempt). Default <see langword="false"/>: it runs inline.
    /// </summary>
    public bool Asynchronous { get; init; }

    /// <summary>How failures are retried. Optional; the engine's default applies when absent.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>How long one attempt may take. Optional; positive when set.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The names of the fields the handler reads.</summary>
    public ValueArray<string> Reads { get; init; }

    /// <summary>The fields the handler writes.</summary>
    public ValueArray<DataField> Writes { get; init; }

    /// <summary>Runs the step once per item of a list. Optional.</summary>
    public MultiInstance? MultiInstance { get; init; }
}
