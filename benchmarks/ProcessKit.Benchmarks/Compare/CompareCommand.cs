using ProcessKit.Benchmarks.Compare.Durable;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// <c>compare [--quick] [--json FILE] [--n N...] ...</c>: the same scenarios on ProcessKit and its peers,
/// side by side, in one run on one machine, then ProcessKit on its durable stores beside plain inserts
/// (issue 6). Exit code 0 when every engine that ran did
/// what its steps should have done, 1 when one failed, 2 for a bad command line.
/// </summary>
internal static class CompareCommand
{
    /// <summary>Runs the comparison with the arguments after <c>compare</c>.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(CompareOptions.Usage);
            return 0;
        }

        if (CompareOptions.Parse(args, out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync($"compare: {error}{Environment.NewLine}{CompareOptions.Usage}").ConfigureAwait(false);
            return 2;
        }

        LoadAverage.RecordStart();
        var engines = options.CreateEngines();
        var command = string.Join(' ', ["compare", .. args]);
        Console.WriteLine($"{command}: N = {string.Join(", ", options.Counts.Select(n => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}, "
            + $"at most {options.PhaseTimeout.TotalSeconds:N0} s per phase, {options.Repeat} run(s) per engine and line and more until {options.MinLineTime.TotalSeconds:0.##} s");
        var runner = new CompareRunner(engines, options, Console.Out);
        var rows = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DurableRow> durable = [];
        if (options.RunsDurable)
        {
            Console.WriteLine($"durable block: ProcessKit on {string.Join(" and ", options.Stores)}, N = {options.DurableCount:N0}, {options.DurableStarters} concurrent starters");
            durable = await new DurableRunner(options, Console.Out).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var report = new CompareReport(engines, rows, options, command) { Durable = durable, WarmUps = runner.WarmUps };
        Console.WriteLine();
        Console.WriteLine(report.ToText());
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, report.ToJson(), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"JSON written to {path}");
        }

        return report.AnyFailed ? 1 : 0;
    }
}
