using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Tasks;

namespace ProcessKit.Hosting.Tests;

/// <summary>The background worker on fake time: fires timers when due, wakes on new work, stops with the host.</summary>
public sealed class WorkerTests
{
    [Fact]
    public async Task The_worker_fires_a_timer_once_the_clock_reaches_it()
    {
        var time = new ObservedTime();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = HostKit.Build(time, pk => pk
            .AddProcess(HostKit.TimerThenHandler("p", TimeSpan.FromMinutes(10), "work"))
            .AddHandler("work", _ =>
            {
                ran.TrySetResult();
                return ValueTask.CompletedTask;
            }));
        var ct = TestContext.Current.CancellationToken;
        await host.StartAsync(ct);
        var engine = host.Services.GetRequiredService<ProcessEngine>();

        var id = await engine.StartAsync("p", cancellationToken: ct);
        await time.WaitForSleepAsync(TimeSpan.FromMinutes(10), ct);
        Assert.False(ran.Task.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(10));

        await ran.Task.WaitAsync(HostKit.Patience, ct);
        await host.StopAsync(ct);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(id, ct)).State);
    }

    [Fact]
    public async Task The_worker_wakes_when_work_is_scheduled_earlier_than_its_sleep()
    {
        var time = new ObservedTime();
        var ran = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = HostKit.Build(time, pk => pk
            .AddProcess(HostKit.TimerThenHandler("slow", TimeSpan.FromHours(1), "work"))
            .AddProcess(HostKit.TimerThenHandler("fast", TimeSpan.FromMinutes(1), "work"))
            .AddHandler("work", c =>
            {
                ran.TrySetResult(c.ProcessId);
                return ValueTask.CompletedTask;
            }));
        var ct = TestContext.Current.CancellationToken;
        await host.StartAsync(ct);
        var engine = host.Services.GetRequiredService<ProcessEngine>();

        await engine.StartAsync("slow", cancellationToken: ct);
        await time.WaitForSleepAsync(TimeSpan.FromHours(1), ct);
        await engine.StartAsync("fast", cancellationToken: ct);
        await time.WaitForSleepAsync(TimeSpan.FromMinutes(1), ct);
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("fast", await ran.Task.WaitAsync(HostKit.Patience, ct));
        await host.StopAsync(ct);
    }

    [Fact]
    public async Task The_worker_stops_cleanly_when_the_host_stops()
    {
        var time = new ObservedTime();
        using var host = HostKit.Build(time, pk => pk
            .AddProcess(HostKit.TimerThenHandler("p", TimeSpan.FromDays(2), "work"))
            .AddHandler("work", static _ => ValueTask.CompletedTask));
        var ct = TestContext.Current.CancellationToken;
        await host.StartAsync(ct);
        await host.Services.GetRequiredService<ProcessEngine>().StartAsync("p", cancellationToken: ct);
        await time.WaitForSleepAsync(TimeSpan.FromDays(2), ct);
        var worker = host.Services.GetServices<IHostedService>().OfType<ProcessKitWorker>().Single();

        await host.StopAsync(ct).WaitAsync(HostKit.Patience, ct);

        Assert.NotNull(worker.ExecuteTask);
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failed_run_is_retried_after_a_backoff_and_does_not_stop_the_host()
    {
        var p = ProcessBuilder.Create("p", "P");
        var clerk = p.Role("clerk", "Clerk");
        var timer = p.Timer("wait", "Wait", TimeSpan.FromMinutes(1));
        var review = p.HumanTask("review", "Review", clerk).AllocateRoundRobin();
        var done = p.End("done", "Done");
        timer.Then(review);
        review.Then(done);
        var calls = 0;
        var time = new ObservedTime();
        using var host = HostKit.Build(time, pk => pk
            .AddProcess(p.Build())
            .ConfigureEngine(o => o.RoleMembers = _ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidDataException("directory down") : ["ann"]));
        var ct = TestContext.Current.CancellationToken;
        await host.StartAsync(ct);
        var engine = host.Services.GetRequiredService<ProcessEngine>();
        var worker = host.Services.GetServices<IHostedService>().OfType<ProcessKitWorker>().Single();

        await engine.StartAsync("p", cancellationToken: ct);
        await time.WaitForSleepAsync(TimeSpan.FromMinutes(1), ct);
        time.Advance(TimeSpan.FromMinutes(1));
        await time.WaitForSleepAsync(ProcessKitWorker.FailureBackoff, ct);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.False(worker.ExecuteTask!.IsCompleted);
        time.Advance(ProcessKitWorker.FailureBackoff);
        await time.WaitForSleepAsync(TimeSpan.FromDays(30), ct);

        var task = Assert.Single(await engine.QueryTasksAsync(new TaskQuery(), ct));
        Assert.Equal("ann", task.AssignedTo);
        await host.StopAsync(ct);
        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
    }
}
