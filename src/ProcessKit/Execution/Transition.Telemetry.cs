using Microsoft.Extensions.Logging;
using ProcessKit.Diagnostics;

namespace ProcessKit.Execution;

/// <content>Telemetry around automated step runs: a span and a duration when someone listens, a branch otherwise.</content>
internal sealed partial class Transition
{
    /// <summary>Calls a step's handler (<see cref="CallUnobservedAsync"/>), observed when someone listens.</summary>
    private ValueTask CallAsync(ModelNode node, StepContext context, int si) =>
        EngineTelemetry.StepsObserved ? CallObservedAsync(node, context, si) : CallUnobservedAsync(node, context, si);

    private async ValueTask CallObservedAsync(ModelNode node, StepContext context, int si)
    {
        var scope = EngineTelemetry.StartStep(Model, node, Instance.Id, si, _time);
        try
        {
            await CallUnobservedAsync(node, context, si).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            scope.Stop(e);
            throw;
        }

        scope.Stop(null);
    }

    /// <summary>Logs a failed attempt whose retry was just scheduled (logged when the command runs; a command retried after a version conflict may log it again).</summary>
    private void LogRetry(ModelNode node, int attempt, long dueTicks, string message)
    {
        var logger = _engine.Logger;
        if (logger.IsEnabled(LogLevel.Warning))
        {
            EngineLog.JobRetryScheduled(logger, Instance.Id.Value, node.Id, attempt, attempt + 1, new DateTimeOffset(dueTicks, TimeSpan.Zero), message);
        }
    }
}
