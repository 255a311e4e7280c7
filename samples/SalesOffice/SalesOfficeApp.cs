using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Export;
using ProcessKit.Samples.SalesOffice.Contacts;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.SalesOffice.Day;
using ProcessKit.Samples.SalesOffice.Hosting;
using ProcessKit.Samples.SalesOffice.Reporting;

namespace ProcessKit.Samples.SalesOffice;

/// <summary>The program: parses the command line and runs one command. Errors are one line on standard error.</summary>
internal static class SalesOfficeApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CommandLine? command;
        try
        {
            command = CommandLine.Parse(args);
        }
        catch (CommandLineException e)
        {
            await error.WriteLineAsync($"sales-office: error: {e.Message}");
            return BadUsage;
        }

        if (command is null)
        {
            await output.WriteLineAsync(CommandLine.Usage);
            return Ok;
        }

        try
        {
            return command.Command switch
            {
                "run" => await RunDayAsync(command, output, cancellationToken),
                "report" => await ReportAsync(command, output, cancellationToken),
                "diagram" => await DiagramAsync(command, output, cancellationToken),
                _ => await SalesPlay.RunAsync(command.DatabasePath, input, output, cancellationToken),
            };
        }
        catch (Exception e) when (e is SalesOfficeException or ProcessKitException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"sales-office: error: {OneLine(e.Message)}");
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("sales-office: stopped");
            return Failed;
        }
    }

    private static async Task<int> RunDayAsync(CommandLine command, TextWriter output, CancellationToken cancellationToken)
    {
        var definition = SalesProcess.Load();
        var contactsPath = command.ContactsPath ?? ContactFile.DefaultPath;
        var day = ContactFile.Read(contactsPath);
        DatabaseFile.StartOver(command.DatabasePath);
        var clock = new FakeTimeProvider(day.Midnight);
        var staff = SalesStaff.Default;
        await using var host = await SalesOfficeHost.OpenAsync(command.DatabasePath, definition, clock, staff, runWorker: false, cancellationToken);
        var salesDay = new SalesDay(host.Engine, clock, host.Crm, staff, new SeededChoices(definition, command.Seed))
        {
            Until = day.Midnight + TimeSpan.FromHours(18) + TimeSpan.FromDays(command.FollowDays),
        };
        var (started, ended) = await salesDay.RunAsync(day, cancellationToken);
        await host.Crm.RecordDayAsync(new(started, ended, command.Seed, Path.GetFileName(contactsPath)), cancellationToken);
        var report = await SalesReport.ComputeAsync(host.Engine, host.Crm, definition, ended, cancellationToken);

        await output.WriteLineAsync(Invariant($"Sales office: {day.Contacts.Count} contacts on {day.Date:yyyy-MM-dd} ({Path.GetFileName(contactsPath)}), seed {command.Seed}, staff {string.Join(", ", staff.People.Select(static p => $"{p.Id} ({p.Role})"))}."));
        await output.WriteLineAsync(Invariant($"Fake time from {started:yyyy-MM-dd HH:mm} to {ended:yyyy-MM-dd HH:mm} UTC: the day's leads are followed until each one ends, at most {command.FollowDays} days after the day."));
        await output.WriteLineAsync();
        await output.WriteAsync(report.ToText());
        await output.WriteLineAsync();
        await WhereTheDataLivesAsync(output, command.DatabasePath);
        return Ok;
    }

    private static async Task<int> ReportAsync(CommandLine command, TextWriter output, CancellationToken cancellationToken)
    {
        var definition = SalesProcess.Load();
        await DatabaseFile.EnsureSalesDataAsync(command.DatabasePath, cancellationToken);
        var clock = new FakeTimeProvider();
        await using var host = await SalesOfficeHost.OpenAsync(command.DatabasePath, definition, clock, SalesStaff.Default, runWorker: false, cancellationToken);
        var last = await host.Crm.LastDayAsync(cancellationToken);
        var report = await SalesReport.ComputeAsync(host.Engine, host.Crm, definition, last?.EndedAt, cancellationToken);
        await output.WriteLineAsync(last is { } d
            ? Invariant($"Sales office: the history stored in the database (last day: {d.Contacts}, seed {d.Seed}, {d.StartedAt:yyyy-MM-dd HH:mm} to {d.EndedAt:yyyy-MM-dd HH:mm} UTC).")
            : "Sales office: the history stored in the database.");
        await output.WriteLineAsync();
        await output.WriteAsync(report.ToText());
        await output.WriteLineAsync();
        await WhereTheDataLivesAsync(output, command.DatabasePath);
        return Ok;
    }

    private static async Task<int> DiagramAsync(CommandLine command, TextWriter output, CancellationToken cancellationToken)
    {
        var definition = SalesProcess.Load();
        var options = MermaidOptions.Default;
        if (command.Instance is { } id)
        {
            await DatabaseFile.EnsureSalesDataAsync(command.DatabasePath, cancellationToken);
            await using var host = await SalesOfficeHost.OpenAsync(command.DatabasePath, definition, new FakeTimeProvider(), SalesStaff.Default, runWorker: false, cancellationToken);
            var instance = await host.Engine.GetInstanceAsync(new Execution.InstanceId(id), cancellationToken);
            options = options with { HighlightSteps = [.. instance.ActiveSteps] };
            await output.WriteLineAsync(Invariant($"%% instance {id}: {instance.State}{(instance.EndOutcome is { } o ? " (" + o + ")" : string.Empty)}; current steps: {(instance.ActiveSteps.Count == 0 ? "none" : string.Join(", ", instance.ActiveSteps))}"));
        }

        await output.WriteAsync(MermaidExporter.Export(definition, options));
        return Ok;
    }

    private static Task WhereTheDataLivesAsync(TextWriter output, string path) =>
        output.WriteLineAsync($"Data: {path} (the process store's tables and the CRM's crm_* tables). `report` and `diagram --instance ID` read it; `run` starts it over.");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
