namespace ProcessKit.Execution;

/// <summary>
/// A path of an instance that stopped because something failed (a handler after its last attempt,
/// an expression that could not be evaluated) and waits for an operator to retry or resolve it.
/// </summary>
/// <param name="Instance">The instance.</param>
/// <param name="StepId">The step where the path stopped.</param>
/// <param name="StepInstance">The run of the step (see <see cref="History.HistoryEvent.StepInstance"/>).</param>
/// <param name="Message">What failed.</param>
/// <param name="RaisedAt">When the incident was raised.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Incident(InstanceId Instance, string StepId, int StepInstance, string Message, DateTimeOffset RaisedAt);
