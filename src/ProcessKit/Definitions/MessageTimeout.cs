namespace ProcessKit.Definitions;

/// <summary>The path a message wait takes when no message comes in time.</summary>
/// <param name="After">When the wait gives up.</param>
/// <param name="To">The step to go to.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record MessageTimeout(DueTime After, string To)
{
    /// <summary>The kind of path the timeout starts. Default <see cref="PathKind.Exception"/>.</summary>
    public PathKind Path { get; init; } = PathKind.Exception;
}
