using ProcessKit.Execution;

namespace ProcessKit.Messaging;

/// <summary>A message for waiting instances, or one that starts instances: a name, a correlation key, a payload and an id.</summary>
/// <param name="Name">The message name (for example <c>delivered</c>).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ProcessMessage(string Name)
{
    /// <summary>The correlation key the waiting step expects (for example a deal id). Optional: unset matches waits without correlation.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>The payload: fields merged into the instance (those the wait step declares), or the start data. Optional.</summary>
    public IReadOnlyDictionary<string, object?>? Payload { get; init; }

    /// <summary>An id that makes the message idempotent: a message whose id was seen before is applied once. Optional.</summary>
    public string? MessageId { get; init; }

    /// <summary>The instance the message is for, when the sender knows it; a message for an ended instance is then refused. Optional.</summary>
    public InstanceId? Instance { get; init; }
}
