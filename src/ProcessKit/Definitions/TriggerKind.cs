namespace ProcessKit.Definitions;

/// <summary>What starts instances of a process.</summary>
public enum TriggerKind
{
    /// <summary>Started by hand, through the API.</summary>
    Manual,

    /// <summary>Started by a named message (for example an incoming contact).</summary>
    Message,

    /// <summary>Started by a timer at a fixed interval.</summary>
    Timer,
}
