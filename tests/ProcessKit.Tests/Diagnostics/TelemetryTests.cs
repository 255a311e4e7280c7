using System.Diagnostics;
using ProcessKit.Definitions;
using ProcessKit.Diagnostics;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.StoreContract;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Diagnostics;

/// <summary>The spans, measurements and log events of instances, seen through an activity listener, a meter listener and a test logger.</summary>
public sealed class TelemetryTests
{
    /// <summary>Check (automated) → approve (human task due in an hour) → done.</summary>
    private static ProcessDefinition Order(string id)
    {
        var p = ProcessBuilder.Create(id, "Order");
        var clerk = p.Role("clerk", "Clerk");
        var check = p.Automated("check", "Check the order", "check").Writes(Field.String("verdict"));
        var approve = p.HumanTask("approve", "Approve the order", clerk).Deadline(TimeSpan.FromHours(1));
        var done = p.End("done", "Done").Outcome("Approved");
        check.Then(approve);
        approve.On("approve", done);
        return p.Build();
    }

    private static EngineTestKit Kit(bool failCheck = false, Action<ProcessEngineOptions>? configure = null) => new(o =>
    {
        o.AddHandler("check", context =>
        {
            if (failCheck)
            {
                throw new InvalidOperationException("the credit service is down");
            }

            context.Set("verdict", "fine");
        });
        configure?.Invoke(o);
    });

    [Fact]
    public async Task One_instance_is_seen_in_spans_counters_histograms_and_task_gauges()
    {
        const string process = "telemetry_one";
        using var probe = new TelemetryProbe(process);
        var kit = Kit();
        await kit.DeployAsync(Order(process));

        var id = await kit.Engine.StartAsync(process, cancellationToken: Ct);
        Assert.Equal((1d, 0d), probe.ObserveTasks());
        kit.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal((1d, 1d), probe.ObserveTasks());
        await kit.CompleteAsync(id, "approve", "approve");
        var (open, overdue) = probe.ObserveTasks();

        Assert.Null(open);
        Assert.Null(overdue);
        var start = Assert.Single(probe.SpansNamed("processkit.start"));
        Assert.Equal(probe.Request!.SpanId, start.ParentSpanId);
        Assert.Equal(process, start.GetTagItem(ProcessKitDiagnostics.ProcessTag));
        Assert.Equal(1, start.GetTagItem(ProcessKitDiagnostics.ProcessVersionTag));
        Assert.Equal(id.Value, start.GetTagItem(ProcessKitDiagnostics.InstanceTag));
        Assert.Equal(ActivityStatusCode.Unset, start.Status);
        var step = Assert.Single(probe.SpansNamed(ProcessKitDiagnostics.StepSpan));
        Assert.Equal(start.SpanId, step.ParentSpanId);
        Assert.Equal("check", step.GetTagItem(ProcessKitDiagnostics.StepTag));
        Assert.Equal("succeeded", step.GetTagItem(ProcessKitDiagnostics.OutcomeTag));
        Assert.Equal(id.Value, step.GetTagItem(ProcessKitDiagnostics.InstanceTag));
        var complete = Assert.Single(probe.SpansNamed("processkit.complete_task"));
        Assert.Equal(probe.Request.SpanId, complete.ParentSpanId);
        Assert.Equal("complete_task", complete.GetTagItem(ProcessKitDiagnostics.CommandTag));
        Assert.Equal(process, complete.GetTagItem(ProcessKitDiagnostics.ProcessTag));
        Assert.NotNull(complete.GetTagItem(ProcessKitDiagnostics.TaskTag));

        Assert.Equal(1d, Assert.Single(probe.Of(ProcessKitDiagnostics.InstancesStarted)).Value);
        var completed = Assert.Single(probe.Of(ProcessKitDiagnostics.InstancesCompleted));
        Assert.Equal("completed", completed.Tags[ProcessKitDiagnostics.EndStateTag]);
        var cycle = Assert.Single(probe.Of(ProcessKitDiagnostics.InstanceCycleTime));
        Assert.Equal(TimeSpan.FromHours(2).TotalSeconds, cycle.Value);
        var duration = Assert.Single(probe.Of(ProcessKitDiagnostics.StepDuration));
        Assert.Equal("check", duration.Tags[ProcessKitDiagnostics.StepTag]);
        Assert.Equal("succeeded", duration.Tags[ProcessKitDiagnostics.OutcomeTag]);
        Assert.Empty(probe.Of(ProcessKitDiagnostics.IncidentsRaised));
    }

    [Fact]
    public async Task A_failed_step_has_an_error_status_and_counts_an_incident()
    {
        const string process = "telemetry_incident";
        using var probe = new TelemetryProbe(process);
        var kit = Kit(failCheck: true);
        await kit.DeployAsync(Order(process));

        var id = await kit.Engine.StartAsync(process, cancellationToken: Ct);

        Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));
        var step = Assert.Single(probe.SpansNamed(ProcessKitDiagnostics.StepSpan));
        Assert.Equal(ActivityStatusCode.Error, step.Status);
        Assert.Equal(ProcessKitDiagnostics.StepFailedCode, step.StatusDescription);
        Assert.Equal("failed", step.GetTagItem(ProcessKitDiagnostics.OutcomeTag));
        Assert.Equal(typeof(InvalidOperationException).FullName, step.GetTagItem(ProcessKitDiagnostics.ErrorTypeTag));
        var incident = Assert.Single(probe.Of(ProcessKitDiagnostics.IncidentsRaised));
        Assert.Equal("check", incident.Tags[ProcessKitDiagnostics.StepTag]);
        Assert.Equal("failed", Assert.Single(probe.Of(ProcessKitDiagnostics.StepDuration)).Tags[ProcessKitDiagnostics.OutcomeTag]);
    }

    [Fact]
    public async Task A_refused_command_has_an_error_status_with_its_typed_error_code()
    {
        const string process = "telemetry_refused";
        using var probe = new TelemetryProbe(process);
        var kit = Kit();
        await kit.DeployAsync(Order(process));
        var id = await kit.Engine.StartAsync(process, cancellationToken: Ct);
        var task = await kit.OpenTaskAsync(id, "approve");

        await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(task.TaskId, User("ann", "clerk"), "maybe", cancellationToken: Ct).AsTask());

        var complete = Assert.Single(probe.SpansNamed("processkit.complete_task"));
        Assert.Equal(ActivityStatusCode.Error, complete.Status);
        Assert.Equal(ProcessErrorCodes.UnknownOutcome, complete.StatusDescription);
        Assert.Equal(ProcessErrorCodes.UnknownOutcome, complete.GetTagItem(ProcessKitDiagnostics.ErrorCodeTag));
        Assert.Equal(id.Value, complete.GetTagItem(ProcessKitDiagnostics.InstanceTag));
    }

    [Fact]
    public async Task A_refused_publish_has_an_error_status_with_its_typed_error_code()
    {
        const string process = "telemetry_publish_refused";
        using var probe = new TelemetryProbe(process);
        var kit = Kit();
        await kit.DeployAsync(Order(process));
        var id = await kit.Engine.StartAsync(process, cancellationToken: Ct);
        var task = await kit.OpenTaskAsync(id, "approve");
        await kit.Engine.CompleteTaskAsync(task.TaskId, User("ann", "clerk"), "approve", cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.PublishMessageAsync(new ProcessMessage("payment.received") { Instance = id }, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.InstanceEnded, refused.ErrorCode);
        var publish = Assert.Single(probe.SpansNamed("processkit.publish_message"));
        Assert.Equal(ActivityStatusCode.Error, publish.Status);
        Assert.Equal(ProcessErrorCodes.InstanceEnded, publish.StatusDescription);
        Assert.Equal(ProcessErrorCodes.InstanceEnded, publish.GetTagItem(ProcessKitDiagnostics.ErrorCodeTag));
    }

    [Fact]
    public async Task Due_work_runs_in_a_run_due_span_with_a_fire_timer_span_under_it()
    {
        const string process = "telemetry_timer";
        using var probe = new TelemetryProbe(process);
        var kit = Kit();
        var p = ProcessBuilder.Create(process, "Timer");
        var wait = p.Timer("wait", "Wait a day", TimeSpan.FromDays(1));
        wait.Then(p.End("done", "Done"));
        await kit.DeployAsync(p.Build());
        var id = await kit.Engine.StartAsync(process, cancellationToken: Ct);

        await kit.AdvanceAsync(TimeSpan.FromDays(1));

        var run = Assert.Single(probe.SpansNamed("processkit.run_due"));
        Assert.Equal(probe.Request!.SpanId, run.ParentSpanId);
        var fire = Assert.Single(probe.SpansNamed("processkit.fire_timer"), s => Equals(s.GetTagItem(ProcessKitDiagnostics.InstanceTag), id.Value));
        Assert.Equal(run.SpanId, fire.ParentSpanId);
        Assert.Equal(process, fire.GetTagItem(ProcessKitDiagnostics.ProcessTag));
        Assert.Equal(TimeSpan.FromDays(1).TotalSeconds, Assert.Single(probe.Of(ProcessKitDiagnostics.InstanceCycleTime)).Value);
    }

    [Fact]
    public async Task The_engine_logs_deployments_retries_incidents_late_timers_and_refused_commits_with_stable_event_ids()
    {
        var logs = new TestLoggerFactory();
        var failures = 0;
        var inner = new ProcessKit.Persistence.InMemoryProcessStore();
        var faulty = new FaultyStore(inner, TimeProvider.System);
        var kit = new EngineTestKit(o =>
        {
            o.LoggerFactory = logs;
            o.Store = faulty;
            o.AddHandler("send", _ => throw new InvalidOperationException("mail server down " + ++failures));
        });
        var p = ProcessBuilder.Create("telemetry_logs", "Logs");
        var send = p.Automated("send", "Send", "send").Asynchronous().Retry(new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(10) });
        send.Then(p.End("done", "Done"));
        await kit.DeployAsync(p.Build());
        var id = await kit.Engine.StartAsync("telemetry_logs", cancellationToken: Ct);

        await kit.Engine.RunDueAsync(Ct);
        faulty.Inject(StoreCall.Commit, FaultKind.Refuse);
        await kit.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));
        Assert.Equal([1, 10, 12, 13, 11], logs.Ids);
        Assert.All(logs.Events, e => Assert.Equal(typeof(ProcessEngine).FullName, e.Category));
        Assert.Contains("mail server down 1", logs.Events.Single(e => e.Id.Id == 10).Message, StringComparison.Ordinal);
        Assert.Equal("IncidentRaised", logs.Events.Single(e => e.Id.Id == 11).Id.Name);
    }
}
