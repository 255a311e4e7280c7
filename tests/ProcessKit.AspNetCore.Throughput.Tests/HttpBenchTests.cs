using System.Text.Json;

namespace ProcessKit.AspNetCore.Throughput.Tests;

/// <summary>
/// The HTTP benchmark runs for a moment for real (Kestrel on loopback, a SQLite file in the temp folder)
/// and reports sane counts: completions in every case, no error, every task completed once. No time is asserted.
/// </summary>
public sealed class HttpBenchTests
{
    [Fact]
    public async Task A_short_run_completes_tasks_through_HTTP_and_on_the_engine_each_exactly_once_and_writes_the_JSON_report()
    {
        var json = Path.Combine(Path.GetTempPath(), $"processkit-httpbench-test-{Guid.NewGuid():N}.json");
        try
        {
            var options = HttpBenchOptions.Parse(["--seconds", "0.3", "--warmup", "0", "--users", "1,3", "--json", json], out var error)
                ?? throw new InvalidOperationException(error);
            var log = new StringWriter();

            var results = await HttpBench.RunAsync(options, log, TestContext.Current.CancellationToken);

            Assert.Equal(
                [("engine", 1), ("http", 1), ("engine", 3), ("http", 3)],
                results.Select(static r => (r.Mode, r.Users)));
            Assert.All(results, r =>
            {
                Assert.True(r.Completions > 0, $"{r.Mode} {r.Users}: no completion measured");
                Assert.Equal(0, r.Errors);
                Assert.Empty(r.Problems);
                Assert.True(r.TotalCompletions >= r.Completions);
                Assert.True(r.Instances * 2 >= r.TotalCompletions, "two tasks per instance at most");
                Assert.True(r.P50Ms <= r.P90Ms && r.P90Ms <= r.P99Ms && r.P99Ms <= r.MaxMs);
                Assert.True(r.CompletionsPerSecond > 0);
            });
            Assert.Contains("HTTP / engine", log.ToString(), StringComparison.Ordinal);

            using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(json, TestContext.Current.CancellationToken));
            Assert.Equal(4, report.RootElement.GetArrayLength());
            Assert.Equal("http", report.RootElement[1].GetProperty("mode").GetString());
            Assert.True(report.RootElement[1].GetProperty("completions").GetInt64() > 0);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--users", "0")]
    [InlineData("--users", "two")]
    [InlineData("--modes", "grpc")]
    [InlineData("--bogus", "1")]
    public void Arguments_out_of_range_are_refused_with_the_usage(string name, string value)
    {
        Assert.Null(HttpBenchOptions.Parse([name, value], out var error));
        Assert.Contains("--users", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_five_seconds_and_1_4_16_users_on_both_loops()
    {
        var options = HttpBenchOptions.Parse([], out var error)!;

        Assert.Null(error);
        Assert.Equal(5, options.Seconds);
        Assert.Equal([1, 4, 16], options.Users);
        Assert.Equal(["engine", "http"], options.Modes);
        Assert.Null(options.Json);
    }
}
