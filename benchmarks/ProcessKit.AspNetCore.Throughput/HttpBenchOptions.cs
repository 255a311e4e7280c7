using System.Globalization;

namespace ProcessKit.AspNetCore.Throughput;

/// <summary>The command line: <c>--seconds 5 --users 1,4,16 --warmup 1 --json FILE</c>.</summary>
internal sealed record HttpBenchOptions
{
    /// <summary>Measured seconds per case. Default 5.</summary>
    public double Seconds { get; init; } = 5;

    /// <summary>Seconds of each case run before measuring (JIT, connections, the file's first pages). Default 1.</summary>
    public double Warmup { get; init; } = 1;

    /// <summary>The concurrent users of each case. Default 1, 4, 16.</summary>
    public int[] Users { get; init; } = [1, 4, 16];

    /// <summary>Where to write the results as JSON. Optional.</summary>
    public string? Json { get; init; }

    /// <summary>Which loops run: the HTTP endpoints, the engine called directly, or both (the default).</summary>
    public string[] Modes { get; init; } = [HttpBench.EngineMode, HttpBench.HttpMode];

    public const string Usage = "arguments: [--seconds 5] [--warmup 1] [--users 1,4,16] [--modes engine,http] [--json FILE]";

    /// <summary>The options, or null with the error.</summary>
    public static HttpBenchOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new HttpBenchOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"'{name}' needs a value. {Usage}";
                return null;
            }

            var value = args[++i];
            switch (name)
            {
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    options = options with { Seconds = seconds };
                    break;
                case "--warmup" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var warmup) && warmup >= 0:
                    options = options with { Warmup = warmup };
                    break;
                case "--users" when ParseUsers(value) is { } users:
                    options = options with { Users = users };
                    break;
                case "--modes" when value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } modes
                    && modes.All(static m => m is HttpBench.EngineMode or HttpBench.HttpMode):
                    options = options with { Modes = modes };
                    break;
                case "--json" when value.Length > 0:
                    options = options with { Json = value };
                    break;
                default:
                    error = $"'{name} {value}' is not understood. {Usage}";
                    return null;
            }
        }

        return options;
    }

    private static int[]? ParseUsers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var users = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out users[i]) || users[i] < 1 || users[i] > 1024)
            {
                return null;
            }
        }

        return users.Length == 0 ? null : users;
    }
}
