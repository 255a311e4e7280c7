namespace ProcessKit.Definitions;

/// <summary>
/// Runs a step once per item of a list (for example once per dish of an order). Applies to human
/// tasks, automated steps and sub-process calls.
/// </summary>
/// <param name="Collection">An expression giving the list.</param>
/// <param name="ItemName">The name under which each run sees its item, usable in its expressions.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record MultiInstance(ProcessExpression Collection, string ItemName)
{
    /// <summary>Parallel or sequential. Default <see cref="MultiInstanceMode.Parallel"/>.</summary>
    public MultiInstanceMode Mode { get; init; }

    /// <summary>"M of N": the step completes after this many runs and cancels the rest. <see langword="null"/> (the default) waits for all.</summary>
    public int? RequiredCompletions { get; init; }
}
