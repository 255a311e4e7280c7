using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ProcessKit.Diagnostics;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;

namespace ProcessKit.Execution;

/// <content>Telemetry hooks: spans, counters and log events around commands, each a branch when nobody listens.</content>
public sealed partial class ProcessEngine
{
    /// <summary>How late a timer may fire before it is logged (<see cref="EngineLog.TimerFiredLate"/>).</summary>
    internal static readonly TimeSpan LateTimer = TimeSpan.FromSeconds(5);

    /// <summary>The span name and command tag of a command on one instance.</summary>
    private static (string Span, string Command) SpanOf(CommandKind kind) => kind switch
    {
        CommandKind.Cancel => ("processkit.cancel", "cancel"),
        CommandKind.Claim => ("processkit.claim_task", "claim_task"),
        CommandKind.Release => ("processkit.release_task", "release_task"),
        CommandKind.Delegate => ("processkit.delegate_task", "delegate_task"),
        CommandKind.Complete => ("processkit.complete_task", "complete_task"),
        CommandKind.Deliver => ("processkit.deliver_message", "deliver_message"),
        CommandKind.Fire => ("processkit.fire_timer", "fire_timer"),
        CommandKind.RetryIncident => ("processkit.retry_incident", "retry_incident"),
        CommandKind.ResolveIncident => ("processkit.resolve_incident", "resolve_incident"),
        _ => ("processkit.child_ended", "child_ended"),
    };

    private static Activity? StartSpan(in Command command)
    {
        if (!EngineTelemetry.Source.HasListeners())
        {
            return null;
        }

        var (span, name) = SpanOf(command.Kind);
        var activity = EngineTelemetry.StartCommand(span, name);
        if (activity is not null && command.Kind is CommandKind.Claim or CommandKind.Release or CommandKind.Delegate or CommandKind.Complete)
        {
            activity.SetTag(ProcessKitDiagnostics.TaskTag, command.TaskId);
        }

        return activity;
    }

    /// <summary>Runs a command on one instance (<see cref="ExecuteUnobservedAsync"/>), in a span when someone listens.</summary>
    private ValueTask<bool> ExecuteAsync(InstanceId instance, Command command, CancellationToken cancellationToken) =>
        EngineTelemetry.Source.HasListeners() ? ExecuteObservedAsync(instance, command, cancellationToken) : ExecuteUnobservedAsync(instance, command, cancellationToken);

    private async ValueTask<bool> ExecuteObservedAsync(InstanceId instance, Command command, CancellationToken cancellationToken)
    {
        using var activity = StartSpan(command);
        activity?.SetTag(ProcessKitDiagnostics.InstanceTag, instance.Value);
        try
        {
            return await ExecuteUnobservedAsync(instance, command, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EngineTelemetry.Fail(activity, e))
        {
            throw;
        }
    }

    /// <summary>Starts an instance (<see cref="StartUnobservedAsync"/>), in a span when someone listens.</summary>
    private ValueTask<InstanceId> StartCoreAsync(StartCommand start, CancellationToken cancellationToken) =>
        EngineTelemetry.Source.HasListeners() ? StartObservedAsync(start, cancellationToken) : StartUnobservedAsync(start, cancellationToken);

    private async ValueTask<InstanceId> StartObservedAsync(StartCommand start, CancellationToken cancellationToken)
    {
        using var activity = EngineTelemetry.StartCommand("processkit.start", "start");
        activity?.SetTag(ProcessKitDiagnostics.ProcessTag, start.Model.Id);
        activity?.SetTag(ProcessKitDiagnostics.ProcessVersionTag, start.Model.Version);
        try
        {
            var id = await StartUnobservedAsync(start, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(ProcessKitDiagnostics.InstanceTag, id.Value);
            return id;
        }
        catch (Exception e) when (EngineTelemetry.Fail(activity, e))
        {
            throw;
        }
    }

    /// <summary>After a commit was stored: counters for instances started and ended and incidents raised, and the incidents logged.</summary>
    private void Report(Transition committed, bool isNew)
    {
        if (EngineTelemetry.Source.HasListeners() && Activity.Current is { } current && ReferenceEquals(current.Source, EngineTelemetry.Source))
        {
            EngineTelemetry.Describe(current, committed.Model, committed.Instance.Id);
        }

        var ended = committed.Applied && committed.Instance.IsEnded;
        if (EngineTelemetry.CommitsObserved)
        {
            EngineTelemetry.Committed(committed.Model, committed.Instance, isNew, ended, committed.Commit.Incidents);
        }

        if (committed.Commit.Incidents is { } incidents && Logger.IsEnabled(LogLevel.Warning))
        {
            foreach (var incident in incidents)
            {
                EngineLog.IncidentRaised(Logger, incident.Instance.Value, committed.Model.Id, incident.StepId, incident.StepInstance, incident.Message);
            }
        }
    }

    private void ReportLateness(in TimerRecord timer, long nowTicks)
    {
        if (nowTicks - timer.DueTicks > LateTimer.Ticks && Logger.IsEnabled(LogLevel.Warning))
        {
            EngineLog.TimerFiredLate(Logger, timer.Instance.Value, TimeSpan.FromTicks(nowTicks - timer.DueTicks), new DateTimeOffset(timer.DueTicks, TimeSpan.Zero));
        }
    }
}
