using FsCheck;
using Outcome = ProcessKit.Benchmarks.Compare.Outcome;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Benchmarks.Compare;
using ProcessKit.Benchmarks.Compare.Durable;

namespace ProcessKit.Benchmarks.Tests;

public sealed class DurableReportTests
{
    private static EngineFigure Rate(double perSecond) => new(Outcome.Measured, perSecond, 100, 1, null);

    [Fact]
    public void The_percentile_is_the_nearest_rank_of_the_sorted_times()
    {
        long[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        Assert.Equal(5, DurableRunner.Percentile(sorted, 0.50));
        Assert.Equal(10, DurableRunner.Percentile(sorted, 0.99));
        Assert.Equal(1, DurableRunner.Percentile(sorted, 0.01));
        Assert.Equal(0, DurableRunner.Percentile([], 0.5));
    }

    [Property]
    public Property A_percentile_is_one_of_the_times_and_grows_with_the_quantile(long[] times, byte a, byte b)
    {
        var sorted = times.Order().ToArray();
        var (low, high) = (Math.Min(a, b) / 255.0, Math.Max(a, b) / 255.0);
        var p = DurableRunner.Percentile(sorted, low);
        var q = DurableRunner.Percentile(sorted, high);
        return (sorted.Length == 0 ? p == 0 && q == 0 : sorted.Contains(p) && sorted.Contains(q) && p <= q).ToProperty();
    }

    [Fact]
    public void The_ratio_to_plain_inserts_is_shown_only_when_both_were_measured()
    {
        Assert.Equal("2.50×", CompareReport.DurableRatio(Rate(500), Rate(200)));
        Assert.Equal("n/a", CompareReport.DurableRatio(Rate(500), new EngineFigure(Outcome.TimedOut, null, null, 120, "over 120 s")));
        Assert.Equal("n/a", CompareReport.DurableRatio(EngineFigure.NotAvailable("no server"), Rate(200)));
    }

    [Fact]
    public void The_durable_block_is_its_own_table_and_a_store_that_could_not_run_says_why()
    {
        var options = CompareOptions.Parse(["--durable"], out _)!;
        var missing = EngineFigure.NotAvailable("PostgreSQL server binaries (initdb, pg_ctl) were not found");
        DurableRow[] durable =
        [
            new("SQLite", Scenario.Sequential, 1_000, 64, Rate(4_000), 10.5, 30.25, Rate(2_000), Rate(100_000)) { Description = "SQLite 3, FULL" },
            new("PostgreSQL", Scenario.HumanTask, 1_000, 64, missing, null, null, missing, missing),
        ];
        var report = new CompareReport([], [], options, "compare --durable") { Durable = durable };

        var text = report.ToText();

        Assert.Contains("| store | scenario | N | starters | ProcessKit /s | p50 ms | p99 ms |", text, StringComparison.Ordinal);
        Assert.Contains("| SQLite | sequential | 1,000 | 64 | 4,000 | 10.50 | 30.25 | 100 | 2,000 | 100,000 | 2.00× | 0.04× |", text, StringComparison.Ordinal);
        Assert.Contains("| PostgreSQL | human task | 1,000 | 64 | n/a |", text, StringComparison.Ordinal);
        Assert.Contains("initdb, pg_ctl", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n| scenario | N |", text, StringComparison.Ordinal);
        Assert.False(report.AnyFailed);
        Assert.Contains("\"durable\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_durable_line_fails_the_run()
    {
        var options = CompareOptions.Parse(["--durable"], out _)!;
        var failed = new EngineFigure(Outcome.Failed, null, null, null, "wrong results: instance 3: Running, not completed");
        var report = new CompareReport([], [], options, "compare --durable")
        {
            Durable = [new("SQLite", Scenario.Sequential, 10, 2, failed, null, null, Rate(1), Rate(1))],
        };

        Assert.True(report.AnyFailed);
    }
}
