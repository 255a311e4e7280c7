namespace ProcessKit.Definitions;

/// <summary>
/// A deadline over a span of the process: from the moment a step is entered until another step
/// is reached (for example "25 minutes from the order to serving"). For the whole process, span
/// from the start step to the end steps by leaving <see cref="Until"/> empty.
/// </summary>
/// <param name="Id">A unique id among the process's deadlines.</param>
/// <param name="From">The step whose entry starts the clock.</param>
/// <param name="Within">When the span is due.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DeadlineDefinition(string Id, string From, DueTime Within)
{
    /// <summary>The step whose entry stops the clock; <see langword="null"/> means the end of the instance.</summary>
    public string? Until { get; init; }

    /// <summary>A goal time within the deadline, for reports. Optional.</summary>
    public TimeSpan? GoalTime { get; init; }

    /// <summary>What happens when the span runs late. Escalations without a time fire at <see cref="Within"/>.</summary>
    public ValueArray<Escalation> Escalations { get; init; }
}
