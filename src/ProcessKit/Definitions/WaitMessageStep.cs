namespace ProcessKit.Definitions;

/// <summary>Waits for a named message for this instance, for example a client's reply or a "delivered" notice.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <param name="Message">The message name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record WaitMessageStep(string Id, string Name, string Message) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.WaitMessage;

    /// <summary>An expression over the instance data giving the correlation key a message must carry (for example <c>dealId</c>). Optional.</summary>
    public ProcessExpression? Correlation { get; init; }

    /// <summary>The fields of the message payload that are merged into the instance data.</summary>
    public ValueArray<DataField> Writes { get; init; }

    /// <summary>The path taken when no message comes in time. Optional.</summary>
    public MessageTimeout? Timeout { get; init; }

    /// <summary>Reminders and notifications while waiting (non-interrupting).</summary>
    public ValueArray<Escalation> Escalations { get; init; }
}
