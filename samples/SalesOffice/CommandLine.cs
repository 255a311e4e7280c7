using System.Globalization;

namespace ProcessKit.Samples.SalesOffice;

/// <summary>The parsed command line: a command and its options.</summary>
internal sealed record CommandLine(string Command, string DatabasePath, string? ContactsPath, int Seed, int FollowDays, long? Instance)
{
    public const string DefaultDatabase = "sales-office.db";

    public const string Usage = """
        Usage: SalesOffice <command> [options]

        Commands:
          run       play a scripted working day on fake time, then print the report (starts the database over)
          report    the report over the history stored in the database
          diagram   the process as a Mermaid flowchart; --instance ID highlights where that instance stands
          play      act as Operator, Manager, Dispatcher or Head of sales in the terminal

        Options:
          --db PATH         the SQLite file (default: sales-office.db in the working directory)
          --contacts FILE   run: the day of contacts (JSON, see the README; default: the day that ships with the sample)
          --seed N          run: the seed of the staff's and clients' choices (default 1)
          --follow DAYS     run: follow the day's leads at most DAYS days after the day (default 30, until
                            every lead ends); 0 stops at 18:00 on the day, with leads still running
          --instance ID     diagram: the instance whose current steps are highlighted
          -h, --help        this text
        """;

    public static readonly IReadOnlyList<string> Commands = ["run", "report", "diagram", "play"];

    /// <summary>Parses the arguments; <see langword="null"/> when help was asked for.</summary>
    /// <exception cref="CommandLineException">An unknown command or option, or a bad value.</exception>
    public static CommandLine? Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new CommandLineException("no command given; try --help");
        }

        if (args.Any(static a => a is "-h" or "--help" or "help"))
        {
            return null;
        }

        var command = args[0];
        if (!Commands.Contains(command))
        {
            throw new CommandLineException($"unknown command '{command}'; the commands are {string.Join(", ", Commands)} (try --help)");
        }

        string database = DefaultDatabase;
        string? contacts = null;
        var seed = 1;
        var follow = 30;
        long? instance = null;
        for (var i = 1; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new CommandLineException($"{option} needs a value");
            switch (option)
            {
                case "--db":
                    database = Value();
                    break;
                case "--contacts" when command == "run":
                    contacts = Value();
                    break;
                case "--seed" when command == "run":
                    var seedText = Value();
                    seed = int.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new CommandLineException($"--seed needs a whole number from 0, not '{seedText}'");
                    break;
                case "--follow" when command == "run":
                    var followText = Value();
                    follow = int.TryParse(followText, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f <= 365
                        ? f
                        : throw new CommandLineException($"--follow needs a number of days from 0 to 365, not '{followText}'");
                    break;
                case "--instance" when command == "diagram":
                    var idText = Value();
                    instance = long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                        ? id
                        : throw new CommandLineException($"--instance needs an instance id (a whole number from 1), not '{idText}'");
                    break;
                default:
                    throw new CommandLineException($"unknown option '{option}' for {command}; try --help");
            }
        }

        if (string.IsNullOrWhiteSpace(database))
        {
            throw new CommandLineException("--db needs a file path");
        }

        return new CommandLine(command, Path.GetFullPath(database), contacts is null ? null : Path.GetFullPath(contacts), seed, follow, instance);
    }
}

/// <summary>A command line the program does not understand: one line, exit code 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
