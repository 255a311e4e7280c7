namespace ProcessKit.Definitions;

/// <summary>How an automated step is retried when its handler fails: exponential backoff.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record RetryPolicy
{
    /// <summary>How many attempts in all, the first included. Default 3; at least 1.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The delay before the second attempt. Default one second; must be positive.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The factor each further delay is multiplied by. Default 2; at least 1.</summary>
    public double BackoffMultiplier { get; init; } = 2;

    /// <summary>The longest delay between attempts. Optional.</summary>
    public TimeSpan? MaxDelay { get; init; }
}
