using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.Samples.Shared.Play;

namespace ProcessKit.Samples.Cafe;

/// <summary>The cafe console app: <c>simulate</c>, <c>play</c>, usage. Exit codes: 0 done, 1 failed, 2 bad arguments.</summary>
/// <remarks>Thread-safe: every call runs on its own host and simulation.</remarks>
public static class CafeApp
{
    /// <summary>Where the play clock starts in a new database: an evening at six.</summary>
    public static readonly DateTimeOffset EveningStart = new(2026, 6, 5, 18, 0, 0, TimeSpan.Zero);

    private const string Usage = """
        The cafe: serving a guest with ProcessKit (see samples/Cafe/README.md).

        Usage:
          Cafe simulate [--guests N] [--arrivals PER_HOUR] [--seed S]
                        [--hosts N] [--waiters N] [--cooks N] [--cashiers N] [--managers N]
                        [--compare-cooks N,M,...]
              Simulates an evening of guests on virtual time (in memory) and prints the report:
              utilization per role, cycle time, cost per guest, satisfaction, deadline breaches,
              the slowest step and what the free dessert does to cost and rating.
              --compare-cooks 1,3 runs the same evening once per number of cooks, side by side.
              Defaults: 40 guests, 6 an hour, seed 1, 1 host, 2 waiters, 3 cooks, 1 cashier, 1 manager.
          Cafe play [--db PATH]
              Plays the process in the terminal: pick a role, work your inbox, move the clock.
              State is kept in the SQLite file PATH (default cafe.db in the working directory),
              with the play clock, so a later session goes on where this one stopped.
          Cafe --help
        """;

    /// <summary>Runs the app.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="input">What play reads.</param>
    /// <param name="output">Where reports and play write.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.WriteLine(Usage);
            return 0;
        }

        try
        {
            switch (args[0])
            {
                case "simulate":
                    return await SimulateAsync(args[1..], output, error, cancellationToken).ConfigureAwait(false);
                case "play":
                    return await PlayAsync(args[1..], input, output, error, cancellationToken).ConfigureAwait(false);
                default:
                    error.WriteLine($"cafe: error: unknown command '{args[0]}'; commands: simulate, play (Cafe --help for usage)");
                    return 2;
            }
        }
        catch (UsageException e)
        {
            error.WriteLine($"cafe: error: {e.Message} (Cafe --help for usage)");
            return 2;
        }
    }

    private static async Task<int> SimulateAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var evening = new CafeEvening();
        var staff = new Dictionary<string, int>(CafeEvening.DefaultStaff, StringComparer.Ordinal);
        List<int>? compare = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--guests" or "-n":
                    evening = evening with { Guests = Positive(name, Value()) };
                    break;
                case "--arrivals":
                    var rate = Value();
                    evening = evening with
                    {
                        ArrivalsPerHour = double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0 && r <= 10_000
                            ? r
                            : throw new UsageException($"--arrivals takes guests per hour, more than 0 (got '{rate}')"),
                    };
                    break;
                case "--seed":
                    var seed = Value();
                    evening = evening with { Seed = int.TryParse(seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : throw new UsageException($"--seed takes a whole number (got '{seed}')") };
                    break;
                case "--hosts" or "--waiters" or "--cooks" or "--cashiers" or "--managers":
                    staff[name[2..^1]] = Positive(name, Value());
                    break;
                case "--compare-cooks":
                    var list = Value();
                    compare = [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => Positive(name, c))];
                    if (compare.Count < 2)
                    {
                        throw new UsageException($"--compare-cooks takes two or more numbers of cooks, like 1,3 (got '{list}')");
                    }

                    break;
                default:
                    throw new UsageException($"unknown option '{name}' for simulate");
            }
        }

        evening = evening with { Staff = staff };
        if (compare is null)
        {
            CafeSimulation.Write(await CafeSimulation.RunAsync(evening, ct).ConfigureAwait(false), output);
            return 0;
        }

        var reports = new List<(string, CafeEveningReport)>();
        foreach (var cooks in compare)
        {
            var withCooks = evening with { Staff = new Dictionary<string, int>(staff, StringComparer.Ordinal) { ["cook"] = cooks } };
            reports.Add(($"{cooks} cook{(cooks == 1 ? string.Empty : "s")}", await CafeSimulation.RunAsync(withCooks, ct).ConfigureAwait(false)));
        }

        CafeSimulation.WriteComparison(reports, output);
        return 0;
    }

    private static int Positive(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= 100_000
            ? n
            : throw new UsageException($"{option} takes a whole number from 1 (got '{text}')");

    private static async Task<int> PlayAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var db = "cafe.db";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--db" && i + 1 < args.Length)
            {
                db = args[++i];
            }
            else
            {
                throw new UsageException(args[i] == "--db" ? "--db needs a file path" : $"unknown option '{args[i]}' for play");
            }
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = db }.ToString();
        var clock = new FakeTimeProvider(EveningStart);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddProcessKit(pk => pk
            .AddProcess(CafeProcess.Definition)
            .AddHandler(CafeProcess.ComputeBillHandler, static context =>
            {
                CafeMenu.ComputeBill(context);
                return ValueTask.CompletedTask;
            })
            .UseSqlite(connectionString));
        using var host = builder.Build();

        // Play moves the clock and runs what is due itself, so the host's background worker is not
        // started (its runs would race the console's output); the store is prepared and the process
        // deployed here instead, as the worker would do.
        var engine = host.Services.GetRequiredService<ProcessEngine>();
        await engine.InitializeAsync(ct).ConfigureAwait(false);
        await engine.DeployAsync(CafeProcess.Definition, ct).ConfigureAwait(false);
        var playClock = new PlayClockFile(connectionString);
        var saved = playClock.Read();
        if (saved is { } now && now > clock.GetUtcNow())
        {
            clock.SetUtcNow(now);
        }

        var console = new PlayConsole(engine, [CafeProcess.Definition], by =>
        {
            clock.Advance(by);
            playClock.Write(clock.GetUtcNow());
        }, input, output)
        {
            Banner = $"The cafe, in play. State: {Path.GetFullPath(db)}",
            InstanceNoun = "guest",
        };
        playClock.Write(clock.GetUtcNow());
        return await console.RunAsync(ct).ConfigureAwait(false);
    }

    private sealed class UsageException(string message) : Exception(message);
}
