using ProcessKit.Definitions;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Scheduling;

/// <summary>ProcessEngine.WaitForWorkAsync: sleeps on the engine's clock until the next due time, wakes on earlier work.</summary>
public sealed class WaitForWorkTests
{
    private static ProcessDefinition Timer(string id, TimeSpan wait)
    {
        var p = ProcessBuilder.Create(id, id);
        var timer = p.Timer("wait", "Wait", wait);
        var done = p.End("done", "Done");
        timer.Then(done);
        return p.Build();
    }

    [Fact]
    public async Task The_wait_ends_when_the_clock_reaches_the_next_due_time()
    {
        var kit = new EngineTestKit();
        await kit.DeployAndStartAsync(Timer("p", TimeSpan.FromMinutes(20)));

        var wait = kit.Engine.WaitForWorkAsync(cancellationToken: Ct).AsTask();
        kit.Time.Advance(TimeSpan.FromMinutes(19));
        Assert.False(wait.IsCompleted);
        kit.Time.Advance(TimeSpan.FromMinutes(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task The_wait_returns_at_once_when_work_is_already_due()
    {
        var kit = new EngineTestKit();
        await kit.DeployAndStartAsync(Timer("p", TimeSpan.FromMinutes(20)));
        kit.Time.Advance(TimeSpan.FromMinutes(30));

        Assert.True(kit.Engine.WaitForWorkAsync(cancellationToken: Ct).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_command_that_schedules_earlier_work_ends_the_wait()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Timer("fast", TimeSpan.FromMinutes(1)), Ct);
        await kit.DeployAndStartAsync(Timer("slow", TimeSpan.FromHours(1)));

        var wait = kit.Engine.WaitForWorkAsync(cancellationToken: Ct).AsTask();
        Assert.False(wait.IsCompleted);
        await kit.Engine.StartAsync("fast", cancellationToken: Ct);

        await wait.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task A_command_that_schedules_later_work_does_not_end_the_wait()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Timer("slow", TimeSpan.FromHours(1)), Ct);
        await kit.DeployAndStartAsync(Timer("fast", TimeSpan.FromMinutes(1)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var wait = kit.Engine.WaitForWorkAsync(cancellationToken: stop.Token).AsTask();
        await kit.Engine.StartAsync("slow", cancellationToken: Ct);
        Assert.False(wait.IsCompleted);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Max_wait_bounds_the_sleep_and_a_second_waiter_is_refused()
    {
        var kit = new EngineTestKit();
        var wait = kit.Engine.WaitForWorkAsync(TimeSpan.FromSeconds(5), Ct).AsTask();

        await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Engine.WaitForWorkAsync(cancellationToken: Ct).AsTask());
        kit.Time.Advance(TimeSpan.FromSeconds(5));
        await wait.WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }
}
