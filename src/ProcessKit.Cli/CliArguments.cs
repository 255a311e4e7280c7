namespace ProcessKit.Cli;

/// <summary>An option a command accepts.</summary>
/// <param name="Name">The long name without dashes (<c>output</c> for <c>--output</c>).</param>
/// <param name="Short">The one-letter alias without its dash, if any.</param>
/// <param name="TakesValue">Whether the option is followed by a value (<c>--output FILE</c> or <c>--output=FILE</c>).</param>
/// <param name="Repeatable">Whether the option may be given more than once.</param>
internal sealed record CliOption(string Name, char? Short = null, bool TakesValue = false, bool Repeatable = false);

/// <summary>
/// The arguments of one command: positional values and options. A small parser on purpose:
/// <c>--name value</c>, <c>--name=value</c>, <c>-x value</c>, flags, and <c>--</c> to end options.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    /// <summary>The positional arguments, in order.</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="args"/> for <paramref name="command"/>.</summary>
    /// <exception cref="CliUsageException">An unknown option, a missing value, or an option given twice.</exception>
    public static CliArguments Parse(string command, IReadOnlyList<string> args, IReadOnlyList<CliOption> options)
    {
        var parsed = new CliArguments();
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                parsed.Positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            string? inlineValue = null;
            CliOption? option;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    inlineValue = name[(equals + 1)..];
                    name = name[..equals];
                }

                option = options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal));
            }
            else
            {
                option = arg.Length == 2 ? options.FirstOrDefault(o => o.Short == arg[1]) : null;
            }

            if (option is null)
            {
                throw new CliUsageException($"unknown option '{CliText.OneLine(arg)}' for '{command}'", command);
            }

            string value;
            if (option.TakesValue)
            {
                if (inlineValue is not null)
                {
                    value = inlineValue;
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new CliUsageException($"option '--{option.Name}' needs a value", command);
                }
            }
            else
            {
                if (inlineValue is not null)
                {
                    throw new CliUsageException($"option '--{option.Name}' takes no value", command);
                }

                value = string.Empty;
            }

            if (!parsed._values.TryGetValue(option.Name, out var list))
            {
                list = [];
                parsed._values.Add(option.Name, list);
            }
            else if (!option.Repeatable)
            {
                throw new CliUsageException($"option '--{option.Name}' is given more than once", command);
            }

            list.Add(value);
        }

        return parsed;
    }

    /// <summary>Whether a flag (or an option) was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value of an option given once, or <see langword="null"/>.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];
}
