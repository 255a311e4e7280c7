namespace ProcessKit.Messaging;

/// <summary>What happened to a published message.</summary>
public enum MessageOutcome
{
    /// <summary>Delivered to a waiting instance.</summary>
    Delivered,

    /// <summary>Started one or more instances of processes triggered by its name.</summary>
    Started,

    /// <summary>Nobody waited yet: kept for the time to live, to be consumed by the first wait that matches.</summary>
    Buffered,

    /// <summary>A message with the same id was applied before; nothing changed.</summary>
    Duplicate,
}
