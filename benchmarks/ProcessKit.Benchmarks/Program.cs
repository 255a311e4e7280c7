using BenchmarkDotNet.Running;
using ProcessKit.Benchmarks.Compare;
using ProcessKit.Benchmarks.Durable;
using ProcessKit.PostgreSql.Throughput;

// `compare ...` runs the side-by-side comparison with the peers (see benchmarks/README.md);
// anything else goes to the BenchmarkDotNet suites:
// `dotnet run -c Release --project benchmarks/ProcessKit.Benchmarks -- --filter '*'`.
if (args is ["compare", .. var rest])
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await CompareCommand.RunAsync(rest, stop.Token).ConfigureAwait(false);
}

var suites = typeof(Program).Assembly.GetTypes().Where(static t => t is { IsPublic: true, IsAbstract: false } && t.GetMethods().Any(static m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), inherit: true))).ToList();
if (ThrowawayServer.Missing is { } missing)
{
    // The other suites run as usual; this one cannot start its server.
    suites.Remove(typeof(PostgreSqlCommitBenchmarks));
    Console.WriteLine($"{nameof(PostgreSqlCommitBenchmarks)} left out: {missing}");
}

BenchmarkSwitcher.FromTypes([.. suites]).Run(args);
return 0;
