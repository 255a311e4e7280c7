namespace ProcessKit.Definitions;

/// <summary>A way instances of a process start. Create one with <see cref="Manual"/>, <see cref="OnMessage"/> or <see cref="Every"/>.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record TriggerDefinition
{
    private TriggerDefinition(TriggerKind kind, string? message, TimeSpan? interval)
    {
        Kind = kind;
        Message = message;
        Interval = interval;
    }

    /// <summary>The trigger kind.</summary>
    public TriggerKind Kind { get; }

    /// <summary>For <see cref="TriggerKind.Message"/>: the message name.</summary>
    public string? Message { get; }

    /// <summary>For <see cref="TriggerKind.Timer"/>: the interval between starts.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>Started by hand.</summary>
    public static TriggerDefinition Manual { get; } = new(TriggerKind.Manual, null, null);

    /// <summary>Started by every message with this name; its payload is the start data.</summary>
    /// <param name="message">The message name.</param>
    /// <returns>The trigger.</returns>
    public static TriggerDefinition OnMessage(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(TriggerKind.Message, message, null);
    }

    /// <summary>Started by a timer every <paramref name="interval"/>.</summary>
    /// <param name="interval">A positive interval (checked when the definition is validated).</param>
    /// <returns>The trigger.</returns>
    public static TriggerDefinition Every(TimeSpan interval) => new(TriggerKind.Timer, null, interval);
}
