using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Testing;
using ProcessKit.Testing.Simulation;

namespace ProcessKit.Cli;

/// <summary>
/// <c>simulate DEFINITION [--staff ROLE=N]... [--arrivals PER_HOUR | --arrivals-file FILE]
/// [--count N] [--seed S] [--format table|json] [--stub-handlers]</c>: the simulator of
/// ProcessKit.Testing over a definition file.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>The largest <c>--count</c>: ten million instances.</summary>
    public const int MaxCount = 10_000_000;

    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the simulation's options from the arguments; a bad argument is a usage error.</summary>
    /// <exception cref="CliUsageException">A bad argument.</exception>
    public static SimulationOptions Options(ProcessDefinition definition, CliArguments arguments, IReadOnlyList<TimeSpan>? arrivals)
    {
        var options = new SimulationOptions(definition) { StubMissingHandlers = arguments.Has("stub-handlers") };
        if (arguments.Value("count") is { } countText)
        {
            if (!int.TryParse(countText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count < 1 || count > MaxCount)
            {
                throw Usage($"--count needs a whole number from 1 to {MaxCount.ToString(CultureInfo.InvariantCulture)}, got '{CliText.OneLine(countText)}'");
            }

            options.Count = count;
        }

        if (arguments.Value("seed") is { } seedText)
        {
            if (!int.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            {
                throw Usage($"--seed needs a whole number, got '{CliText.OneLine(seedText)}'");
            }

            options.Seed = seed;
        }

        if (arguments.Value("arrivals") is { } rateText)
        {
            if (!double.TryParse(rateText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || !(rate > 0) || double.IsInfinity(rate))
            {
                throw Usage($"--arrivals needs a number of arrivals per hour above 0, got '{CliText.OneLine(rateText)}'");
            }

            options.ArrivalsPerHour = rate;
        }

        if (arrivals is not null)
        {
            foreach (var at in arrivals.Take(arguments.Has("count") ? options.Count : int.MaxValue))
            {
                options.ArrivalTimes.Add(at);
            }
        }

        foreach (var value in arguments.Values("staff"))
        {
            foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw Usage($"--staff needs ROLE=N, got '{CliText.OneLine(pair)}'");
                }

                var name = pair[..equals].Trim();
                var role = FindRole(definition, name)
                    ?? throw Usage($"unknown role '{CliText.OneLine(name)}' in --staff; the process has: {string.Join(", ", definition.Roles.Select(static r => r.Id))}");
                var text = pair[(equals + 1)..].Trim();
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var people) || people < 0 || people > 100_000)
                {
                    throw Usage($"--staff {CliText.OneLine(name)}= needs a whole number of people from 0 to 100000, got '{CliText.OneLine(text)}'");
                }

                if (!options.Staff.TryAdd(role.Id, people))
                {
                    throw Usage($"--staff names the role '{role.Id}' twice");
                }
            }
        }

        return options;
    }

    /// <summary>A role by id, or else by id or name ignoring case.</summary>
    private static RoleDefinition? FindRole(ProcessDefinition definition, string name) =>
        definition.Roles.FirstOrDefault(r => string.Equals(r.Id, name, StringComparison.Ordinal))
        ?? definition.Roles.FirstOrDefault(r => string.Equals(r.Id, name, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads an arrivals file: one offset from the start per line, as an ISO 8601 duration
    /// (<c>PT1H30M</c>) or <c>[d.]hh:mm[:ss]</c>; blank lines and lines starting with <c>#</c> are skipped.
    /// </summary>
    /// <returns>The offsets, or the error as <c>LINE: message</c>.</returns>
    public static (List<TimeSpan>? Arrivals, string? Error) ReadArrivals(string text)
    {
        var arrivals = new List<TimeSpan>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!TryOffset(line, out var offset))
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"{i + 1}: '{CliText.OneLine(line)}' is not an offset from the start (write PT1H30M or 01:30:00)"));
            }

            if (offset < TimeSpan.Zero)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"{i + 1}: the offset '{CliText.OneLine(line)}' is negative"));
            }

            arrivals.Add(offset);
        }

        return arrivals.Count == 0 ? (null, "the file lists no arrival") : (arrivals, null);
    }

    private static bool TryOffset(string text, out TimeSpan offset)
    {
        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                offset = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                offset = default;
                return false;
            }
            catch (OverflowException)
            {
                offset = default;
                return false;
            }
        }

        return TimeSpan.TryParseExact(text, ["c", @"hh\:mm", @"d\.hh\:mm"], CultureInfo.InvariantCulture, out offset);
    }

    /// <summary>The report as JSON (durations in seconds, money as numbers).</summary>
    public static string Json(SimulationReport report)
    {
        var p = report.Process;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteStartObject("process");
            json.WriteString("id", p.ProcessId);
            json.WriteNumber("version", p.ProcessVersion);
            json.WriteString("name", p.ProcessName);
            json.WriteEndObject();
            json.WriteNumber("seed", report.Seed);
            json.WriteString("startTime", report.StartTime);
            json.WriteString("endTime", report.EndTime);
            json.WriteStartObject("instances");
            json.WriteNumber("total", p.Instances);
            json.WriteNumber("completed", p.Completed);
            json.WriteNumber("running", p.Running);
            json.WriteNumber("cancelled", p.Cancelled);
            json.WriteNumber("failed", p.Failed);
            Number(json, "completionRate", p.CompletionRate);
            json.WriteEndObject();
            json.WriteStartObject("outcomes");
            foreach (var outcome in p.Outcomes)
            {
                json.WriteNumber(outcome.Name, outcome.Count);
            }

            json.WriteEndObject();
            json.WriteStartObject("cycleTimeSeconds");
            Seconds(json, "median", p.CycleTimeMedian);
            Seconds(json, "p90", p.CycleTime90thPercentile);
            Seconds(json, "mean", p.CycleTimeMean);
            json.WriteEndObject();
            json.WriteStartObject("perInstanceSeconds");
            Seconds(json, "work", report.MeanWorkTime);
            Seconds(json, "wait", report.MeanWaitTime);
            Seconds(json, "eventWait", report.MeanEventWaitTime);
            json.WriteEndObject();
            json.WriteStartObject("cost");
            Number(json, "meanPerInstance", p.MeanCost);
            json.WriteNumber("total", p.TotalCost);
            json.WriteEndObject();
            json.WriteStartObject("satisfaction");
            Number(json, "mean", p.MeanSatisfaction);
            json.WriteNumber("rated", p.RatedInstances);
            json.WriteEndObject();
            json.WriteStartObject("deadlineBreaches");
            json.WriteNumber("total", p.Breaches);
            json.WriteNumber("instances", p.BreachedInstances);
            Number(json, "rate", p.BreachRate);
            Counts(json, "byRole", p.BreachesByRole);
            Counts(json, "byDeadline", p.BreachesByDeadline);
            json.WriteEndObject();
            if (report.LongestWait is { } longest)
            {
                json.WriteStartObject("longestWait");
                json.WriteString("step", longest.StepId);
                Text(json, "role", longest.RoleId);
                json.WriteNumber("meanWaitSeconds", longest.MeanWaitTime.TotalSeconds);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("longestWait");
            }

            json.WriteStartArray("steps");
            foreach (var step in p.Steps)
            {
                json.WriteStartObject();
                json.WriteString("step", step.StepId);
                Text(json, "role", step.RoleId);
                json.WriteNumber("instances", step.Instances);
                json.WriteNumber("runs", step.Runs);
                json.WriteNumber("meanWaitSeconds", step.MeanWaitTime.TotalSeconds);
                json.WriteNumber("meanWorkSeconds", step.MeanWorkTime.TotalSeconds);
                json.WriteNumber("meanEventWaitSeconds", step.MeanEventWaitTime.TotalSeconds);
                json.WriteNumber("meanCost", step.MeanCost);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("roles");
            foreach (var role in report.Roles)
            {
                json.WriteStartObject();
                json.WriteString("role", role.RoleId);
                json.WriteString("name", role.RoleName);
                json.WriteNumber("people", role.People);
                json.WriteNumber("tasksCompleted", role.TasksCompleted);
                json.WriteNumber("busySeconds", role.BusyTime.TotalSeconds);
                Number(json, "utilization", role.Utilization);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("stubbedHandlers");
            foreach (var name in report.StubbedHandlers)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Seconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v.TotalSeconds);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, decimal.Round(v, 6));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Counts(Utf8JsonWriter json, string name, ValueArray<NamedCount> counts)
    {
        json.WriteStartObject(name);
        foreach (var count in counts)
        {
            json.WriteNumber(count.Name, count.Count);
        }

        json.WriteEndObject();
    }

    private static CliUsageException Usage(string message) => new(message, "simulate");

    /// <summary>
    /// A progress bar on standard error, drawn in place with carriage returns: shown once a run has
    /// taken half a second, redrawn at most ten times a second, erased at the end.
    /// </summary>
    internal sealed class ProgressBar(TextWriter stderr) : IProgress<SimulationProgress>
    {
        private const int Width = 30;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _drawnAt = -1000;
        private int _length;

        public void Report(SimulationProgress value)
        {
            var elapsed = _clock.ElapsedMilliseconds;
            if (elapsed < 500 || elapsed - _drawnAt < 100)
            {
                return;
            }

            _drawnAt = elapsed;
            var analysing = value.Analysed > 0;
            var done = analysing ? value.Analysed : value.Started;
            var share = value.Total == 0 ? 1d : Math.Clamp((double)done / value.Total, 0, 1);
            var filled = (int)(share * Width);
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{(analysing ? "measuring " : "simulating")} [{new string('#', filled)}{new string('-', Width - filled)}] {share * 100,5:0.0}% {done}/{value.Total}");
            stderr.Write("\r" + line.PadRight(_length));
            _length = line.Length;
            stderr.Flush();
        }

        public void Clear()
        {
            if (_length > 0)
            {
                stderr.Write("\r" + new string(' ', _length) + "\r");
                stderr.Flush();
                _length = 0;
            }
        }
    }
}
