namespace ProcessKit.AspNetCore.Throughput;

/// <summary>
/// Complete-task requests per second and latency through ProcessKit's HTTP endpoints on loopback, SQLite
/// store, beside the same loop on the engine called directly (see benchmarks/README.md, "HTTP endpoints"):
/// <c>dotnet run -c Release --project benchmarks/ProcessKit.AspNetCore.Throughput -- --seconds 5 --users 1,4,16</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (HttpBenchOptions.Parse(args, out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var results = await HttpBench.RunAsync(options, Console.Out, stop.Token).ConfigureAwait(false);
        return results.All(static r => r.Errors == 0 && r.Problems.Count == 0 && r.Completions > 0) ? 0 : 1;
    }
}
