using ProcessKit.Execution;

namespace ProcessKit.StoreContract;

/// <summary>The contract of start-request retention: kept for the retention, purged by the worker's pass after it.</summary>
public abstract partial class ProcessStoreContract
{
    private static StartRequest OrderStart(string order) =>
        new("contract.order") { Data = Order(order), BusinessKey = order, RequestId = "start-" + order };

    [Fact]
    public async Task A_start_request_is_kept_for_its_retention_and_a_repeat_after_the_purge_starts_a_new_instance()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(1), Ct);
        var first = await engine.StartAsync(OrderStart("R-1"), Ct);
        Time.Advance(TimeSpan.FromDays(1));
        var second = await engine.StartAsync(OrderStart("R-2"), Ct);

        // Six days after the first start, a pass purges nothing: both repeats answer their instances.
        Time.Advance(TimeSpan.FromDays(5));
        await engine.RunDueAsync(Ct);
        Assert.Equal(first, await engine.StartAsync(OrderStart("R-1"), Ct));
        Assert.Equal(second, await engine.StartAsync(OrderStart("R-2"), Ct));

        // Seven days and a minute after it, a pass purges the first request only.
        Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await engine.RunDueAsync(Ct);
        Assert.Null(await Store.FindStartRequestAsync("start-R-1", Ct));
        Assert.NotNull(await Store.FindStartRequestAsync("start-R-2", Ct));
        Assert.Equal(second, await engine.StartAsync(OrderStart("R-2"), Ct));
        var again = await engine.StartAsync(OrderStart("R-1"), Ct);
        Assert.NotEqual(first, again);

        // The new start stored the id again, for another retention.
        Assert.Equal(again, await engine.StartAsync(OrderStart("R-1"), Ct));
    }

    [Fact]
    public async Task A_purge_deletes_at_most_its_batch_oldest_first()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(1), Ct);
        for (var i = 1; i <= 3; i++)
        {
            await engine.StartAsync(OrderStart($"P-{i}"), Ct);
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(0, await Store.PurgeStartRequestsAsync(Epoch.UtcTicks, 10, Ct));
        Assert.Equal(2, await Store.PurgeStartRequestsAsync(Epoch.AddMinutes(5).UtcTicks, 2, Ct));
        Assert.Null(await Store.FindStartRequestAsync("start-P-1", Ct));
        Assert.Null(await Store.FindStartRequestAsync("start-P-2", Ct));
        Assert.NotNull(await Store.FindStartRequestAsync("start-P-3", Ct));
        Assert.Equal(1, await Store.PurgeStartRequestsAsync(Epoch.AddMinutes(5).UtcTicks, 2, Ct));
    }
}
