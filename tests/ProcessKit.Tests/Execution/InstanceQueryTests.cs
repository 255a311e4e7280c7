using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Tests.Execution;

/// <summary>The engine's instance listing and report by process: argument checks, and a report over more than one page.</summary>
public sealed class InstanceQueryTests
{
    private static CancellationToken Ct => EngineTestKit.Ct;

    private static ProcessDefinition Review(int version = 1)
    {
        var p = ProcessBuilder.Create("query.review", "Review").Version(version);
        p.Supplier("src", "Source");
        var clerk = p.Role("clerk", "Clerk").HourlyCost(60m);
        var review = p.HumanTask("review", "Review", clerk);
        review.On("ok", p.End("done", "Done").Outcome("ok")).On("no", p.End("refused", "Refused").Outcome("no"), PathKind.Alternate);
        return p.Build();
    }

    public static TheoryData<string> BadQueries => ["blank process", "version 0", "page size 0", "page size 1001", "unknown state"];

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_query_that_cannot_run_is_refused_naming_what_is_wrong(string what)
    {
        var kit = new EngineTestKit();
        var query = what switch
        {
            "blank process" => new InstanceQuery(" "),
            "version 0" => new InstanceQuery("p") { Version = 0 },
            "page size 0" => new InstanceQuery("p") { PageSize = 0 },
            "page size 1001" => new InstanceQuery("p") { PageSize = InstanceQuery.MaxPageSize + 1 },
            _ => new InstanceQuery("p") { States = [(InstanceState)9] },
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await kit.Engine.QueryInstancesAsync(query, Ct));

        Assert.Contains(what switch { "blank process" => "ProcessId", "version 0" => "Version", "unknown state" => "States", _ => "PageSize" }, error.ParamName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_request_retention_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ProcessEngine(new ProcessEngineOptions { StartRequestRetention = TimeSpan.Zero }));

        Assert.Contains("StartRequestRetention", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(7), new ProcessEngineOptions().StartRequestRetention);
    }

    [Fact]
    public async Task The_report_by_process_over_several_pages_equals_the_report_over_each_instance_of_the_version()
    {
        var kit = new EngineTestKit();
        var engine = kit.Engine;
        await engine.DeployAsync(Review(1), Ct);
        var clerk = EngineTestKit.User("ann", "clerk");
        var ids = new List<InstanceId>();
        for (var i = 0; i < InstanceQuery.MaxPageSize + 5; i++)
        {
            ids.Add(await engine.StartAsync("query.review", cancellationToken: Ct));
            kit.Time.Advance(TimeSpan.FromSeconds(1));
        }

        for (var i = 0; i < ids.Count; i += 3)
        {
            var task = Assert.Single(await engine.QueryTasksAsync(new ProcessKit.Tasks.TaskQuery { Instance = ids[i] }, Ct));
            await engine.CompleteTaskAsync(task.TaskId, clerk, i % 2 == 0 ? "ok" : "no", cancellationToken: Ct);
        }

        await engine.DeployAsync(Review(2), Ct);
        await engine.StartAsync("query.review", cancellationToken: Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(5));

        var report = await engine.GetReportAsync("query.review", 1, cancellationToken: Ct);

        var expected = new List<InstanceCharacteristics>();
        foreach (var id in ids)
        {
            var history = await engine.GetHistoryAsync(id, Ct);
            var running = (await engine.GetInstanceAsync(id, Ct)).State == InstanceState.Running;
            expected.Add(ProcessAnalytics.Characteristics(Review(1), history, running ? kit.Time.GetUtcNow() : null));
        }

        Assert.Equal(ProcessAnalytics.Report(Review(1), expected), report);
        Assert.Equal(ids.Count, report.Instances);
        Assert.Equal(1, (await engine.GetReportAsync("query.review", cancellationToken: Ct)).Instances);

        var window = await engine.GetReportAsync("query.review", 1, EngineTestKit.Epoch.AddSeconds(10), EngineTestKit.Epoch.AddSeconds(20), Ct);
        Assert.Equal(10, window.Instances);
    }
}
