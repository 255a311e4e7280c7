using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProcessKit.Definitions;

namespace ProcessKit.Samples.Shared.Play;

/// <summary>
/// Asks for the fields of a task or of a start, one prompt per field, typed, and asks again with the
/// reason when an answer does not fit. <c>!</c> gives up the whole form.
/// </summary>
/// <remarks>Not thread-safe: one form reads one console.</remarks>
internal sealed class PlayForm(TextReader input, TextWriter output, TimeProvider clock, bool echo)
{
    /// <summary>What the user types to give up a form.</summary>
    public const string GiveUp = "!";

    /// <summary>Set when the input ended during a form.</summary>
    public bool InputEnded { get; private set; }

    /// <summary>Reads one line after a prompt; <see langword="null"/> at the end of the input.</summary>
    public string? Ask(string prompt)
    {
        output.Write(prompt);
        output.Flush();
        var line = input.ReadLine();
        if (line is null)
        {
            InputEnded = true;
            output.WriteLine();
            return null;
        }

        if (echo)
        {
            // Scripted input is not echoed by a terminal: echo it, so a transcript reads like a session.
            output.WriteLine(line);
        }

        return line.Trim();
    }

    /// <summary>Asks for an outcome out of <paramref name="outcomes"/>; <see langword="null"/> when the user gives up.</summary>
    public string? AskOutcome(IReadOnlyList<string> outcomes)
    {
        while (true)
        {
            var answer = Ask($"  outcome ({string.Join(", ", outcomes)}): ");
            if (answer is null || answer == GiveUp)
            {
                return null;
            }

            var match = Match(outcomes, answer);
            if (match is not null)
            {
                return match;
            }

            output.WriteLine($"  '{answer}' is not an outcome of this task; allowed: {string.Join(", ", outcomes)} (or {GiveUp} to give up).");
        }
    }

    /// <summary>Finds <paramref name="answer"/> among <paramref name="outcomes"/>, ignoring case, or by a unique prefix.</summary>
    public static string? Match(IReadOnlyList<string> outcomes, string answer)
    {
        var exact = outcomes.FirstOrDefault(o => string.Equals(o, answer, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var prefixed = outcomes.Where(o => o.StartsWith(answer, StringComparison.OrdinalIgnoreCase)).ToList();
        return answer.Length > 0 && prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>Asks for each field; <see langword="null"/> when the user gives up.</summary>
    /// <param name="fields">The fields, in order.</param>
    /// <param name="given">Values given on the command line (<c>name=value</c>), checked like answers; asked again when they do not fit.</param>
    /// <param name="askOptional">Whether optional fields not given are asked for (else left out).</param>
    public Dictionary<string, object?>? AskFields(IEnumerable<DataField> fields, IReadOnlyDictionary<string, string> given, bool askOptional)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (given.TryGetValue(field.Name, out var text))
            {
                if (TryRead(field, text, out var value, out var problem))
                {
                    if (value is not null)
                    {
                        data[field.Name] = value;
                    }

                    continue;
                }

                output.WriteLine($"  {field.Name}: {problem}");
            }
            else if (!field.Required && !askOptional)
            {
                continue;
            }

            while (true)
            {
                var answer = Ask($"  {field.Name} ({Describe(field)}): ");
                if (answer is null || answer == GiveUp)
                {
                    return null;
                }

                if (TryRead(field, answer, out var value, out var problem))
                {
                    if (value is not null)
                    {
                        data[field.Name] = value;
                    }

                    break;
                }

                output.WriteLine($"  {problem} Try again, or {GiveUp} to give up.");
            }
        }

        return data;
    }

    /// <summary>What a field takes, for the prompt: type, whether required, bounds, format.</summary>
    public static string Describe(DataField field)
    {
        var parts = new List<string>();
        parts.Add(field.Type switch
        {
            DataType.String => "text",
            DataType.Number => "number",
            DataType.Boolean => "yes/no",
            DataType.DateTime => "date-time, e.g. 2026-06-05 19:30 or +2h",
            DataType.Duration => "duration, e.g. 15m or 1h30m",
            DataType.Object => "JSON object",
            DataType.List => "list, comma-separated",
            _ => field.Type.ToString(),
        });
        if (field.Minimum is { } min && field.Maximum is { } max)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{min} to {max}"));
        }
        else if (field.Minimum is { } lo)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"at least {lo}"));
        }
        else if (field.Maximum is { } hi)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"at most {hi}"));
        }

        parts.Add(field.Required ? "required" : "optional, empty to skip");
        return string.Join(", ", parts);
    }

    /// <summary>Reads one answer for a field; a blank answer is no value (refused when required).</summary>
    public bool TryRead(DataField field, string text, out object? value, out string problem)
    {
        value = null;
        problem = string.Empty;
        text = text.Trim();
        if (text.Length == 0)
        {
            if (field.Required)
            {
                problem = $"'{field.Name}' is required ({Describe(field)}).";
                return false;
            }

            return true;
        }

        switch (field.Type)
        {
            case DataType.String:
                value = text;
                return true;
            case DataType.Number:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    problem = $"'{text}' is not a number (write it like 12 or 12.5).";
                    return false;
                }

                if (field.Minimum is { } min && number < min)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"{number} is too small: '{field.Name}' is at least {min}.");
                    return false;
                }

                if (field.Maximum is { } max && number > max)
                {
                    problem = string.Create(CultureInfo.InvariantCulture, $"{number} is too large: '{field.Name}' is at most {max}.");
                    return false;
                }

                value = number;
                return true;
            case DataType.Boolean:
                switch (text.ToLowerInvariant())
                {
                    case "y" or "yes" or "true" or "1":
                        value = true;
                        return true;
                    case "n" or "no" or "false" or "0":
                        value = false;
                        return true;
                    default:
                        problem = $"'{text}' is not yes or no.";
                        return false;
                }

            case DataType.DateTime:
                if (text.StartsWith('+') && PlayText.TryParseDuration(text, out var ahead))
                {
                    value = clock.GetUtcNow() + ahead;
                    return true;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    value = time;
                    return true;
                }

                problem = $"'{text}' is not a date-time (write 2026-06-05 19:30, or +2h for two hours from now).";
                return false;
            case DataType.Duration:
                if (PlayText.TryParseDuration(text, out var duration))
                {
                    value = duration;
                    return true;
                }

                problem = $"'{text}' is not a duration (write 15m, 2h or 1h30m).";
                return false;
            case DataType.List:
                var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                if (items.Count == 0 && field.Required)
                {
                    problem = $"'{field.Name}' needs at least one item (comma-separated).";
                    return false;
                }

                value = items;
                return true;
            case DataType.Object:
                try
                {
                    if (JsonNode.Parse(text) is JsonObject json)
                    {
                        value = json;
                        return true;
                    }
                }
                catch (JsonException)
                {
                    // Reported below.
                }

                problem = $"'{text}' is not a JSON object (write {{\"name\": \"value\"}}).";
                return false;
            default:
                problem = $"'{field.Name}' cannot be entered here.";
                return false;
        }
    }
}
