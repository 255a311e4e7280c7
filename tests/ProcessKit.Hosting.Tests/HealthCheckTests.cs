using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Hosting.Tests;

/// <summary>services.AddHealthChecks().AddProcessKit(): the store check and the worker check.</summary>
public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost Build(TimeProvider time, Action<ProcessKitBuilder> configure, Action<ProcessKitHealthCheckOptions>? health = null) =>
        HostKit.Build(time, configure, services => services.AddHealthChecks().AddProcessKit(health));

    private static ProcessKitBuilder Minimal(ProcessKitBuilder pk) =>
        pk.AddProcess(HostKit.HandlerOnly("health", "work")).AddHandler("work", _ => ValueTask.CompletedTask);

    private static async Task<HealthReport> CheckAsync(IHost host) =>
        await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

    [Fact]
    public async Task A_store_that_answers_and_a_worker_waiting_for_work_are_healthy()
    {
        var time = new ObservedTime();
        using var host = Build(time, pk => pk.AddProcess(HostKit.TimerThenHandler("p", TimeSpan.FromMinutes(10), "work")).AddHandler("work", _ => ValueTask.CompletedTask));
        await host.StartAsync(Ct);
        await host.Services.GetRequiredService<ProcessEngine>().StartAsync("p", cancellationToken: Ct);
        await time.WaitForSleepAsync(TimeSpan.FromMinutes(10), Ct);

        var report = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["processkit"], report.Entries[ProcessKitHealthChecksBuilderExtensions.StoreCheckName].Tags);
        var worker = report.Entries[ProcessKitHealthChecksBuilderExtensions.WorkerCheckName];
        Assert.Equal("waiting", worker.Data["state"]);
        Assert.Equal(time.GetUtcNow(), worker.Data["last_pass_at"]);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_failing_store_is_unhealthy_with_the_store_error()
    {
        var faulty = new FaultyStore(new InMemoryProcessStore(), TimeProvider.System);
        using var host = Build(new FakeTimeProvider(), pk => Minimal(pk).UseStore(_ => faulty));
        await host.StartAsync(Ct);
        faulty.Down = true;

        var report = await CheckAsync(host);

        var store = report.Entries[ProcessKitHealthChecksBuilderExtensions.StoreCheckName];
        Assert.Equal(HealthStatus.Unhealthy, store.Status);
        Assert.Equal(ProcessErrorCodes.StoreUnavailable, store.Data["error_code"]);
        Assert.IsType<ProcessStoreException>(store.Exception);
        Assert.Equal(store.Exception.Message, store.Description);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        faulty.Down = false;
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Entries[ProcessKitHealthChecksBuilderExtensions.StoreCheckName].Status);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_stopped_worker_is_unhealthy()
    {
        using var host = Build(new FakeTimeProvider(), pk => Minimal(pk));
        await host.StartAsync(Ct);
        await host.StopAsync(Ct);

        var worker = (await CheckAsync(host)).Entries[ProcessKitHealthChecksBuilderExtensions.WorkerCheckName];

        Assert.Equal(HealthStatus.Unhealthy, worker.Status);
        Assert.Equal("stopped", worker.Data["state"]);
    }

    [Fact]
    public async Task A_worker_the_host_disabled_on_purpose_is_healthy_and_says_so()
    {
        using var host = Build(new FakeTimeProvider(), pk => Minimal(pk).DisableWorker());
        await host.StartAsync(Ct);

        var worker = (await CheckAsync(host)).Entries[ProcessKitHealthChecksBuilderExtensions.WorkerCheckName];

        Assert.Equal(HealthStatus.Healthy, worker.Status);
        Assert.Equal("disabled", worker.Data["state"]);
        Assert.Contains("disabled", worker.Description, StringComparison.Ordinal);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_worker_without_a_finished_pass_turns_degraded_then_unhealthy_and_healthy_again_after_a_pass()
    {
        var time = new FakeTimeProvider();
        var heartbeat = new WorkerHeartbeat();
        var check = new WorkerHealthCheck(time, heartbeat, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        var context = new HealthCheckContext { Registration = new HealthCheckRegistration("w", check, HealthStatus.Unhealthy, null) };
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(context, Ct)).Status);
        heartbeat.Started(time.GetUtcNow());
        heartbeat.Running(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, Ct)).Status);

        heartbeat.Failed(time.GetUtcNow(), "the database is away");
        time.Advance(TimeSpan.FromSeconds(1));
        var degraded = await check.CheckHealthAsync(context, Ct);
        time.Advance(TimeSpan.FromMinutes(4));
        var unhealthy = await check.CheckHealthAsync(context, Ct);
        heartbeat.Running(time.GetUtcNow());
        heartbeat.Passed(time.GetUtcNow());
        var healthy = await check.CheckHealthAsync(context, Ct);

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal("the database is away", degraded.Data["last_error"]);
        Assert.Equal("backing-off", degraded.Data["state"]);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("the database is away", unhealthy.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.False(healthy.Data.ContainsKey("last_error"));
    }

    [Fact]
    public void Thresholds_out_of_order_fail_when_the_checks_are_added()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.AddHealthChecks().AddProcessKit(o => o.WorkerUnhealthyAfter = TimeSpan.FromSeconds(10)));

        Assert.Contains("WorkerUnhealthyAfter", error.Message, StringComparison.Ordinal);
    }
}
