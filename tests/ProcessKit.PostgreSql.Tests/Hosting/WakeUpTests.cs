using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Hosting;

/// <summary>
/// The hosting worker on PostgreSQL wakes for work another node made due, without <c>WithMaxWait</c>: at once on the
/// NOTIFY of a job or timer due soon, otherwise at the store's backstop poll.
/// </summary>
public sealed class WakeUpTests(PostgresServer server)
{
    private const string Handler = "wake.send";

    /// <summary>Far longer than any wait below: a wait that ends sooner than this was not ended by it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessDefinition WithJob()
    {
        var p = ProcessBuilder.Create("wake.job", "Job");
        var send = p.Automated("send", "Send", Handler).Asynchronous();
        send.Then(p.End("done", "Done"));
        return p.Build();
    }

    private static ProcessDefinition WithTimer(TimeSpan wait)
    {
        var p = ProcessBuilder.Create("wake.timer", "Timer");
        var pause = p.Timer("pause", "Pause", wait);
        pause.Then(p.End("done", "Done"));
        return p.Build();
    }

    /// <summary>A host with the worker and the store's options as given; its handler records that it ran here.</summary>
    private static IHost Host(string connectionString, ProcessDefinition definition, Action<PostgreSqlStoreOptions> configure, ConcurrentQueue<string> ranHere)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddProcessKit(pk => pk
            .UsePostgreSql(connectionString, configure)
            .AddHandler(Handler, ctx =>
            {
                ranHere.Enqueue(ctx.IdempotencyKey);
                return ValueTask.CompletedTask;
            })
            .AddProcess(definition));
        return builder.Build();
    }

    /// <summary>The engine of "node A": no worker, so whatever it schedules runs only if another node's worker takes it.</summary>
    private static async Task<(PostgreSqlProcessStore Store, ProcessEngine Engine)> NodeWithoutWorkerAsync(string connectionString, ProcessDefinition definition)
    {
        var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store }
            .AddHandler(Handler, _ => throw new InvalidOperationException("node A has no worker; its jobs run elsewhere")));
        await engine.DeployAsync(definition, Ct);
        return (store, engine);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Not within {Patience.TotalSeconds} s: {what}");
            }

            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task A_job_another_node_started_is_run_by_this_nodes_worker_woken_by_the_notification()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var ranOnB = new ConcurrentQueue<string>();

        // Node B polls only every ten minutes: within the test's patience, only the notification can wake it.
        using var nodeB = Host(db.ConnectionString, WithJob(), o =>
        {
            o.PollingBackoffMin = TimeSpan.FromMinutes(10);
            o.PollingBackoffMax = TimeSpan.FromMinutes(10);
        }, ranOnB);
        await nodeB.StartAsync(Ct);
        var (storeA, engineA) = await NodeWithoutWorkerAsync(db.ConnectionString, WithJob());
        await using (storeA)
        {
            // B's worker listens from its first wait on; a notification sent before would be lost (and found by the poll).
            await WaitUntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'") > 0,
                "node B's worker did not start listening");

            var id = await engineA.StartAsync("wake.job", cancellationToken: Ct);

            await WaitUntilAsync(async () => (await engineA.GetInstanceAsync(id, Ct)).State == InstanceState.Completed, "node B did not run the job node A started");
            Assert.Single(ranOnB);
        }

        await nodeB.StopAsync(Ct);
    }

    [Fact]
    public async Task A_timer_another_node_set_beyond_the_notification_horizon_is_found_by_the_backstop_poll_and_fired()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);

        // The timer is due later than the longest backoff, so its insert sends no notification: B learns of it by polling.
        var definition = WithTimer(TimeSpan.FromSeconds(2));
        using var nodeB = Host(db.ConnectionString, definition, o =>
        {
            o.PollingBackoffMin = TimeSpan.FromMilliseconds(100);
            o.PollingBackoffMax = TimeSpan.FromMilliseconds(500);
        }, new ConcurrentQueue<string>());
        await nodeB.StartAsync(Ct);
        var (storeA, engineA) = await NodeWithoutWorkerAsync(db.ConnectionString, definition);
        await using (storeA)
        {
            var id = await engineA.StartAsync("wake.timer", cancellationToken: Ct);

            await WaitUntilAsync(async () => (await engineA.GetInstanceAsync(id, Ct)).State == InstanceState.Completed, "node B did not fire the timer node A set");
        }

        await nodeB.StopAsync(Ct);
    }

    [Fact]
    public async Task A_wait_on_the_shared_store_ends_with_the_callers_cancellation_and_the_next_wait_works()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var (store, engine) = await NodeWithoutWorkerAsync(db.ConnectionString, WithJob());
        await using (store)
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                var waiting = engine.WaitForWorkAsync(cancellationToken: stop.Token).AsTask();
                await stop.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            }

            // The next wait ends when this node's own command schedules a job (the engine's own signal).
            var next = engine.WaitForWorkAsync(cancellationToken: Ct).AsTask();
            await engine.StartAsync("wake.job", cancellationToken: Ct);
            await next.WaitAsync(Patience, Ct);
            Assert.True(next.IsCompletedSuccessfully);
        }
    }
}
