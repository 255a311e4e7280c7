namespace ProcessKit.Hosting;

/// <summary>
/// The settings of the ProcessKit health checks added by
/// <see cref="ProcessKitHealthChecksBuilderExtensions.AddProcessKit(Microsoft.Extensions.DependencyInjection.IHealthChecksBuilder, Action{ProcessKitHealthCheckOptions}?)"/>.
/// Checked when the checks are added.
/// </summary>
/// <remarks>Not thread-safe: set it in the configure callback; the checks copy what they need.</remarks>
public sealed class ProcessKitHealthCheckOptions
{
    /// <summary>
    /// How long the worker may go without finishing a pass over due work, while it is not asleep waiting for work, before
    /// its check reports <c>Degraded</c> (a pass that takes that long, or failing passes). Default one minute; positive.
    /// </summary>
    public TimeSpan WorkerDegradedAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the worker may go without finishing a pass, while it is not asleep waiting for work, before its check
    /// reports <c>Unhealthy</c>. Default five minutes; not less than <see cref="WorkerDegradedAfter"/>.
    /// </summary>
    public TimeSpan WorkerUnhealthyAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tags given to both checks (to filter them on an endpoint). Default <c>processkit</c>.</summary>
    public IList<string> Tags { get; } = ["processkit"];

    internal void Validate()
    {
        if (WorkerDegradedAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkerDegradedAfter must be positive, not {WorkerDegradedAfter}.", "configure");
        }

        if (WorkerUnhealthyAfter < WorkerDegradedAfter)
        {
            throw new ArgumentException($"WorkerUnhealthyAfter ({WorkerUnhealthyAfter}) must not be less than WorkerDegradedAfter ({WorkerDegradedAfter}).", "configure");
        }
    }
}
