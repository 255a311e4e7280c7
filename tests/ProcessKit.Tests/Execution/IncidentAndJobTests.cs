using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Asynchronous steps as jobs with retries and backoff, and incidents an operator lists, retries or resolves.</summary>
public sealed class IncidentAndJobTests
{
    private static ProcessDefinition Invoice(bool asynchronous, RetryPolicy? retry)
    {
        var p = ProcessBuilder.Create("invoice", "Invoice");
        var send = p.Automated("send", "Send the invoice", "send").Writes(Field.String("invoiceNo"));
        if (asynchronous)
        {
            send.Asynchronous();
        }

        if (retry is not null)
        {
            send.Retry(retry);
        }

        var done = p.End("done", "Done").Outcome("Sent");
        send.Then(done);
        return p.Build();
    }

    private sealed class FlakyHandler(int failures) : IStepHandler
    {
        public List<(string Key, DateTimeOffset At)> Calls { get; } = [];

        public TimeProvider? Time { get; set; }

        public ValueTask ExecuteAsync(StepContext context)
        {
            Calls.Add((context.IdempotencyKey, Time!.GetUtcNow()));
            if (Calls.Count <= failures)
            {
                throw new InvalidOperationException("mail server down " + Calls.Count);
            }

            context.Set("invoiceNo", "INV-1");
            return ValueTask.CompletedTask;
        }
    }

    private static (EngineTestKit Kit, FlakyHandler Handler) Kit(int failures)
    {
        var handler = new FlakyHandler(failures);
        var kit = new EngineTestKit(o => o.AddHandler("send", handler));
        handler.Time = kit.Time;
        return (kit, handler);
    }

    [Fact]
    public async Task An_asynchronous_step_becomes_a_job_run_by_the_scheduler_and_retried_with_backoff()
    {
        var (kit, handler) = Kit(failures: 2);
        var retry = new RetryPolicy { MaxAttempts = 3, Delay = TimeSpan.FromSeconds(10), BackoffMultiplier = 3 };
        var id = await kit.DeployAndStartAsync(Invoice(asynchronous: true, retry));
        Assert.Empty(handler.Calls);
        Assert.Equal(["send"], (await kit.InstanceAsync(id)).ActiveSteps);

        await kit.Engine.RunDueAsync(Ct);
        Assert.Equal(Epoch.AddSeconds(10), kit.Engine.NextDueTime);
        await kit.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Epoch.AddSeconds(40), kit.Engine.NextDueTime);
        await kit.AdvanceAsync(TimeSpan.FromSeconds(30));

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("INV-1", instance.Data["invoiceNo"]);
        Assert.Equal([Epoch, Epoch.AddSeconds(10), Epoch.AddSeconds(40)], handler.Calls.Select(c => c.At));
        Assert.Single(handler.Calls.Select(c => c.Key).Distinct());
        Assert.Equal(2, (await kit.HistoryAsync(id)).Count(e => e.Type == HistoryEventType.JobFailed));
    }

    [Fact]
    public async Task A_job_that_fails_its_last_attempt_raises_an_incident_that_a_retry_clears()
    {
        var (kit, handler) = Kit(failures: 2);
        var id = await kit.DeployAndStartAsync(Invoice(asynchronous: true, new RetryPolicy { MaxAttempts = 2, Delay = TimeSpan.FromSeconds(1) }));
        await kit.Engine.RunDueAsync(Ct);
        await kit.AdvanceAsync(TimeSpan.FromSeconds(1));

        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));
        Assert.Equal("send", incident.StepId);
        Assert.Equal("mail server down 2", incident.Message);
        Assert.Null(kit.Engine.NextDueTime);

        await kit.Engine.RetryIncidentAsync(id, incident.StepInstance, Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Empty(await kit.Engine.GetIncidentsAsync(cancellationToken: Ct));
        Assert.Equal(3, handler.Calls.Count);
        Assert.Contains(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.IncidentResolved && e.Detail == "retried");
    }

    [Fact]
    public async Task An_inline_step_with_a_retry_policy_is_retried_later_and_without_one_raises_an_incident_at_once()
    {
        var (kit, handler) = Kit(failures: 1);
        var retried = await kit.DeployAndStartAsync(Invoice(asynchronous: false, new RetryPolicy { Delay = TimeSpan.FromMinutes(1) }));
        Assert.Equal(["send"], (await kit.InstanceAsync(retried)).ActiveSteps);
        await kit.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(retried)).State);

        var (other, _) = Kit(failures: 1);
        var failed = await other.DeployAndStartAsync(Invoice(asynchronous: false, retry: null));
        Assert.Single(await other.Engine.GetIncidentsAsync(failed, Ct));
        Assert.Equal(2, handler.Calls.Count);
    }

    [Fact]
    public async Task Resolving_an_incident_by_hand_skips_the_step_and_goes_on()
    {
        var (kit, handler) = Kit(failures: 5);
        var id = await kit.DeployAndStartAsync(Invoice(asynchronous: false, retry: null));
        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));

        await kit.Engine.ResolveIncidentAsync(id, incident.StepInstance, Ct);

        Assert.Equal("Sent", (await kit.InstanceAsync(id)).EndOutcome);
        Assert.Single(handler.Calls);
        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.ResolveIncidentAsync(id, incident.StepInstance, Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.InstanceEnded, error.ErrorCode);
    }

    [Fact]
    public async Task Retrying_an_incident_that_does_not_exist_is_a_not_found_error()
    {
        var (kit, _) = Kit(failures: 0);
        var p = ProcessBuilder.Create("wait", "Wait");
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("task", "Task", clerk);
        var done = p.End("done", "Done");
        task.Then(done);
        var id = await kit.DeployAndStartAsync(p.Build());

        var error = await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.RetryIncidentAsync(id, 1, Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.IncidentNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task A_handler_that_outlives_its_step_timeout_is_cancelled_and_raises_an_incident()
    {
        EngineTestKit? kit = null;
        kit = new EngineTestKit(o => o.AddHandler("slow", async c =>
        {
            kit!.Time.Advance(TimeSpan.FromSeconds(31));
            await Task.Delay(Timeout.InfiniteTimeSpan, c.CancellationToken);
        }));
        var p = ProcessBuilder.Create("slow", "Slow");
        var step = p.Automated("call", "Call the slow service", "slow").Timeout(TimeSpan.FromSeconds(30));
        var done = p.End("done", "Done");
        step.Then(done);

        var id = await kit.DeployAndStartAsync(p.Build());

        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));
        Assert.Contains("timeout", incident.Message, StringComparison.Ordinal);
    }
}
