using ProcessKit.Execution;

namespace ProcessKit.StoreContract;

/// <summary>The contract of the instance listing: by process, version, state, business key and start time, page by page.</summary>
public abstract partial class ProcessStoreContract
{
    /// <summary>
    /// Deploys versions 1 and 2 of the order process and another process, then starts (a minute apart): v1 A-1, A-2 (its
    /// task rejected: completed), A-3 (cancelled); v2 B-1, B-2; and one instance of the other process.
    /// </summary>
    private async Task<(ProcessEngine Engine, InstanceId[] V1, InstanceId[] V2)> SeedInstancesAsync()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(1), Ct);
        var v1 = new InstanceId[3];
        for (var i = 0; i < v1.Length; i++)
        {
            v1[i] = await engine.StartAsync("contract.order", Order($"A-{i + 1}"), $"A-{i + 1}", Ct);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        await engine.DeployAsync(OrderProcess(2), Ct);
        var other = ProcessKit.Definitions.ProcessBuilder.Create("contract.other", "Other").Version(1);
        other.Supplier("shop", "Shop");
        var work = other.HumanTask("work", "Work", other.Role("clerk", "Clerk"));
        work.Then(other.End("done", "Done"));
        await engine.DeployAsync(other.Build(), Ct);
        await engine.StartAsync("contract.other", cancellationToken: Ct);

        var v2 = new InstanceId[2];
        for (var i = 0; i < v2.Length; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(1));
            v2[i] = await engine.StartAsync("contract.order", Order($"B-{i + 1}"), $"B-{i + 1}", Ct);
        }

        var task = await OpenTaskAsync(Store, v1[1]);
        await engine.CompleteTaskAsync(task.TaskId, Clerk(), "reject", cancellationToken: Ct);
        await engine.CancelInstanceAsync(v1[2], "test", Ct);
        return (engine, v1, v2);
    }

    private static InstanceId[] ById(InstanceId[] ids) => [.. ids.OrderBy(static id => id.Value)];

    [Fact]
    public async Task Instances_of_a_process_are_listed_by_version_then_id_page_by_page_without_the_other_processes()
    {
        var (_, v1, v2) = await SeedInstancesAsync();

        var reopened = Engine(await ReopenedAsync());
        await reopened.DeployAsync(OrderProcess(1), Ct);
        var seen = new List<InstanceSummary>();
        var query = new InstanceQuery("contract.order") { PageSize = 2 };
        var pages = 0;
        while (true)
        {
            var page = await reopened.QueryInstancesAsync(query, Ct);
            pages++;
            Assert.True(page.Instances.Count <= 2);
            seen.AddRange(page.Instances);
            if (page.ContinueAfter is not { } next)
            {
                break;
            }

            Assert.Equal(page.Instances[^1].Id, next);
            query = query with { After = next };
        }

        Assert.Equal(3, pages);
        Assert.Equal([.. ById(v1), .. ById(v2)], seen.Select(static s => s.Id));
        Assert.All(seen, static s => Assert.Equal("contract.order", s.ProcessId));
        Assert.Equal([1, 1, 1, 2, 2], seen.Select(static s => s.ProcessVersion));

        var a1 = seen.Single(s => s.Id == v1[0]);
        Assert.Equal(InstanceState.Running, a1.State);
        Assert.Equal("A-1", a1.BusinessKey);
        Assert.Equal(Epoch, a1.StartedAt);
        Assert.Null(a1.EndedAt);
        var a2 = seen.Single(s => s.Id == v1[1]);
        Assert.Equal(InstanceState.Completed, a2.State);
        Assert.Equal(Time.GetUtcNow(), a2.EndedAt);
        Assert.Equal(InstanceState.Cancelled, seen.Single(s => s.Id == v1[2]).State);
    }

    [Fact]
    public async Task An_instance_listing_keeps_only_the_instances_every_criterion_matches()
    {
        var (engine, v1, v2) = await SeedInstancesAsync();

        async Task<InstanceId[]> ListAsync(InstanceQuery query) =>
            [.. (await engine.QueryInstancesAsync(query, Ct)).Instances.Select(static s => s.Id)];

        var order = new InstanceQuery("contract.order");
        InstanceId[] running = [v1[0], .. ById(v2)];
        InstanceId[] ended = [v1[1], v1[2]];
        InstanceId[] a2 = [v1[1]];
        Assert.Equal(ById(v2), await ListAsync(order with { Version = 2 }));
        Assert.Equal(running, await ListAsync(order with { States = [InstanceState.Running] }));
        Assert.Equal(ended, await ListAsync(order with { Version = 1, States = [InstanceState.Completed, InstanceState.Cancelled] }));
        Assert.Equal(a2, await ListAsync(order with { BusinessKey = "A-2" }));
        Assert.Empty(await ListAsync(order with { BusinessKey = "A-2", Version = 2 }));
        InstanceId[] window = [v1[1], v1[2], v2[0]];
        Assert.Equal(window, await ListAsync(order with { StartedFrom = Epoch.AddMinutes(1), StartedBefore = Epoch.AddMinutes(5) }));
        Assert.Empty(await ListAsync(order with { States = [InstanceState.Failed] }));
        Assert.Empty(await ListAsync(new InstanceQuery("nothing")));
        Assert.Equal(v2[1], Assert.Single((await engine.QueryInstancesAsync(order with { Version = 2, After = v2[0] }, Ct)).Instances).Id);
    }

    [Fact]
    public async Task A_listing_that_continues_after_an_instance_of_another_process_or_none_is_empty()
    {
        var (engine, v1, _) = await SeedInstancesAsync();
        var other = Assert.Single((await engine.QueryInstancesAsync(new InstanceQuery("contract.other"), Ct)).Instances);

        Assert.Empty((await engine.QueryInstancesAsync(new InstanceQuery("contract.order") { After = other.Id }, Ct)).Instances);
        Assert.Empty((await engine.QueryInstancesAsync(new InstanceQuery("contract.order") { After = new InstanceId(long.MaxValue) }, Ct)).Instances);

        // After the last instance of version 1, a query for version 2 starts at version 2's first; one for version 1 is done.
        var v1Page = await engine.QueryInstancesAsync(new InstanceQuery("contract.order") { Version = 1, After = ById(v1)[^1] }, Ct);
        Assert.Empty(v1Page.Instances);
        Assert.Null(v1Page.ContinueAfter);
        Assert.Equal(2, (await engine.QueryInstancesAsync(new InstanceQuery("contract.order") { Version = 2, After = ById(v1)[^1] }, Ct)).Instances.Count);
    }
}
