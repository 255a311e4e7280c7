using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Tests.Hosting;

/// <summary><c>AddProcessKit(pk =&gt; pk.UsePostgreSql(...))</c>: the schema is made on start, and two hosts share the state.</summary>
public sealed class UsePostgreSqlTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessDefinition Approval()
    {
        var p = ProcessBuilder.Create("hosted.approval", "Approval");
        p.Supplier("s", "S").Inputs(Field.Number("amount", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var approve = p.HumanTask("approve", "Approve", clerk);
        approve.Then(p.End("done", "Done"));
        return p.Build();
    }

    private static IHost Host(string connectionString)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddProcessKit(pk => pk.UsePostgreSql(connectionString).AddProcess(Approval()));
        return builder.Build();
    }

    [Fact]
    public async Task Two_hosts_on_one_database_start_together_and_one_completes_what_the_other_started()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        using var first = Host(db.ConnectionString);
        using var second = Host(db.ConnectionString);
        await Task.WhenAll(first.StartAsync(Ct), second.StartAsync(Ct));

        var one = first.Services.GetRequiredService<ProcessEngine>();
        var other = second.Services.GetRequiredService<ProcessEngine>();
        Assert.IsType<PostgreSqlProcessStore>(one.Store);
        var id = await one.StartAsync("hosted.approval", new Dictionary<string, object?> { ["amount"] = 10 }, cancellationToken: Ct);
        var task = Assert.Single(await other.QueryTasksAsync(new TaskQuery { Instance = id }, Ct));
        await other.CompleteTaskAsync(task.TaskId, new ProcessUser("ann", ["clerk"]), cancellationToken: Ct);

        Assert.Equal(InstanceState.Completed, (await one.GetInstanceAsync(id, Ct)).State);
        await Task.WhenAll(first.StopAsync(Ct), second.StopAsync(Ct));
    }

    [Fact]
    public void Contradicting_options_are_refused_when_configured()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.AddProcessKit(pk => pk.UsePostgreSql("Host=db", o =>
        {
            o.PollingBackoffMax = TimeSpan.FromSeconds(1);
            o.PollingBackoffMin = TimeSpan.FromSeconds(2);
        })));

        Assert.Contains("PollingBackoffMin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_connection_string_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddProcessKit(pk => pk.UsePostgreSql(" ")));
    }
}
