using BenchmarkDotNet.Running;
using ProcessKit.Benchmarks.Compare;

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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
