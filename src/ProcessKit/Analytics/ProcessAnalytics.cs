using ProcessKit.Definitions;
using ProcessKit.History;

namespace ProcessKit.Analytics;

/// <summary>
/// Computes characteristics from history: per instance (<see cref="Characteristics"/>) and per
/// process version over many instances (<see cref="Report"/>). Pure functions of their arguments:
/// they read no clock and keep no state.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public static class ProcessAnalytics
{
    /// <summary>The number of steps <see cref="Report"/> lists in <see cref="ProcessReport.LongestWaits"/> unless told otherwise.</summary>
    public const int DefaultLongestWaits = 3;

    /// <summary>Computes the characteristics of one instance from its history.</summary>
    /// <param name="definition">The definition the instance ran (its id and version must match the events'); used for step kinds and roles.</param>
    /// <param name="events">
    /// Every event of one instance, in order: the first is <see cref="HistoryEventType.InstanceStarted"/>;
    /// sequence numbers strictly increase (gaps are allowed) and times never go back.
    /// </param>
    /// <param name="asOf">
    /// For a running instance, the time to measure it at (the cycle time and open waits and work
    /// run to it); it may not be before the last event. Ignored for an ended instance. Default
    /// <see langword="null"/>: a running instance then has no cycle time and open intervals are left out.
    /// </param>
    /// <returns>The characteristics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The events are empty, belong to several instances or to another process or version, are out of
    /// sequence or go back in time, do not start with the instance's start, start or end it twice,
    /// name a step the definition does not have; or <paramref name="asOf"/> is before the last event.
    /// </exception>
    public static InstanceCharacteristics Characteristics(ProcessDefinition definition, IEnumerable<HistoryEvent> events, DateTimeOffset? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(events);
        return CharacteristicsCalculator.Compute(definition, events, asOf);
    }

    /// <summary>Summarizes the characteristics of many instances of one process version.</summary>
    /// <param name="definition">The definition the instances ran (for step names, roles and order).</param>
    /// <param name="instances">The instances' characteristics, each from <see cref="Characteristics"/>; may be empty.</param>
    /// <param name="longestWaits">How many steps to list in <see cref="ProcessReport.LongestWaits"/>. Default <see cref="DefaultLongestWaits"/>; 0 lists none.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/>, <paramref name="instances"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An instance belongs to another process or version, or appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="longestWaits"/> is negative.</exception>
    public static ProcessReport Report(ProcessDefinition definition, IEnumerable<InstanceCharacteristics> instances, int longestWaits = DefaultLongestWaits)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentOutOfRangeException.ThrowIfNegative(longestWaits);
        return ReportCalculator.Compute(definition, instances, longestWaits);
    }
}
