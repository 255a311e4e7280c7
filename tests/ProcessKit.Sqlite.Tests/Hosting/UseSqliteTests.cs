using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Tests.Hosting;

/// <summary><c>AddProcessKit(pk =&gt; pk.UseSqlite(...))</c>: the file is made on start, and state outlives the host.</summary>
public sealed class UseSqliteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessDefinition Approval()
    {
        var p = ProcessBuilder.Create("hosted.approval", "Approval");
        p.Supplier("s", "S").Inputs(Field.Number("amount", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var check = p.Automated("check", "Check", "hosted.check").Writes(Field.Boolean("checked"));
        var approve = p.HumanTask("approve", "Approve", clerk);
        check.Then(approve);
        approve.Then(p.End("done", "Done"));
        return p.Build();
    }

    private static IHost Host(string connectionString)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddProcessKit(pk => pk
            .UseSqlite(connectionString)
            .AddProcess(Approval())
            .AddHandler("hosted.check", static c =>
            {
                c.Set("checked", true);
                return ValueTask.CompletedTask;
            }));
        return builder.Build();
    }

    [Fact]
    public async Task A_host_on_sqlite_creates_the_file_on_start_and_a_second_host_on_the_same_file_finds_the_instance()
    {
        using var file = new TempDatabase();
        InstanceId id;
        long taskId;
        using (var first = Host(file.ConnectionString))
        {
            await first.StartAsync(Ct);
            Assert.True(File.Exists(file.Path));
            var engine = first.Services.GetRequiredService<ProcessEngine>();
            Assert.IsType<SqliteProcessStore>(engine.Store);
            id = await engine.StartAsync("hosted.approval", new Dictionary<string, object?> { ["amount"] = 250 }, cancellationToken: Ct);
            taskId = Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct)).TaskId;
            await first.StopAsync(Ct);
        }

        using var second = Host(file.ConnectionString);
        await second.StartAsync(Ct);
        var again = second.Services.GetRequiredService<ProcessEngine>();
        var instance = await again.GetInstanceAsync(id, Ct);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Equal(true, instance.Data["checked"]);
        await again.CompleteTaskAsync(taskId, new ProcessUser("ann", ["clerk"]), cancellationToken: Ct);
        Assert.Equal(InstanceState.Completed, (await again.GetInstanceAsync(id, Ct)).State);
        await second.StopAsync(Ct);
    }

    [Fact]
    public void Options_out_of_range_are_refused_when_configured_with_every_problem_named()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.AddProcessKit(pk => pk.UseSqlite("Data Source=x.db", o =>
        {
            o.BusyTimeout = TimeSpan.FromSeconds(-1);
            o.MaxBatchSize = 0;
        })));

        Assert.Contains("BusyTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_connection_string_is_refused()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddProcessKit(pk => pk.UseSqlite(" ")));
    }
}
