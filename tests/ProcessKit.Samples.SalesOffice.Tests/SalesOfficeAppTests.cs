using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.SalesOffice.Hosting;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>The program's commands called in this process (the same code the child-process tests start).</summary>
public sealed class SalesOfficeAppTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<(int ExitCode, string Output, string Error)> AppAsync(params string[] args) => PlayScriptAsync(string.Empty, args);

    private static async Task<(int ExitCode, string Output, string Error)> PlayScriptAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await SalesOfficeApp.RunAsync(args, new StringReader(input), output, error, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_day_stopped_at_six_leaves_leads_running_the_report_counts_them_and_the_diagram_highlights_where_one_stands()
    {
        using var folder = new TempFolder();
        var database = folder.File("evening.db");

        var run = await AppAsync("run", "--db", database, "--follow", "0");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("to 2026-03-02 18:00 UTC", run.Output, StringComparison.Ordinal);
        long running;
        string[] steps;
        var host = await SalesOfficeHost.OpenAsync(database, SalesProcess.Load(), new FakeTimeProvider(), SalesStaff.Default, runWorker: false, Ct);
        await using (host)
        {
            running = -1;
            steps = [];
            foreach (var id in await host.Crm.LeadInstancesAsync(Ct))
            {
                var instance = await host.Engine.GetInstanceAsync(new InstanceId(id), Ct);
                if (instance.State == InstanceState.Running)
                {
                    running = id;
                    steps = [.. instance.ActiveSteps];
                    break;
                }
            }
        }

        Assert.NotEqual(-1, running);
        Assert.DoesNotContain(" 0 still running", run.Output, StringComparison.Ordinal);
        var diagram = await AppAsync("diagram", "--db", database, "--instance", running.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, diagram.ExitCode);
        Assert.Contains($"current steps: {string.Join(", ", steps)}", diagram.Output, StringComparison.Ordinal);
        Assert.Contains(diagram.Output.Split('\n'), static l => l.TrimStart().StartsWith("class ", StringComparison.Ordinal) && l.EndsWith(" current", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_refuses_to_start_over_a_file_that_is_not_a_sales_office_database()
    {
        using var folder = new TempFolder();
        var other = folder.File("notes.db");
        await File.WriteAllTextAsync(other, "my notes", Ct);

        var run = await AppAsync("run", "--db", other);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a sales-office database", run.Error, StringComparison.Ordinal);
        Assert.Equal("my notes", await File.ReadAllTextAsync(other, Ct));
    }

    [Fact]
    public async Task A_contacts_file_with_an_unknown_channel_is_refused_naming_the_contact()
    {
        using var folder = new TempFolder();
        var contacts = folder.File("day.json");
        await File.WriteAllTextAsync(contacts, """{ "date": "2026-03-02", "contacts": [ { "id": "x1", "at": "09:00", "channel": "fax", "name": "Ann" } ] }""", Ct);

        var run = await AppAsync("run", "--db", folder.File("d.db"), "--contacts", contacts);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("contact 1 (x1): \"channel\" must be call, email or webForm", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("d.db")));
    }

    [Fact]
    public async Task Play_takes_a_contact_as_a_message_lets_the_operator_and_a_manager_work_it_and_keeps_the_clock_for_the_next_session()
    {
        using var folder = new TempFolder();
        var database = folder.File("play.db");
        const string Script = """
            role operator olga
            contact call "Ann Lee" phone=+1-555-0100 request=chairs
            inbox
            +20m
            complete 1
            role manager mia
            inbox
            complete 2 notInterested comments=gone
            show 1
            quit
            """;

        var session = await PlayScriptAsync(Script, "play", "--db", database);

        Assert.True(session.ExitCode == 0, session.Error + session.Output);
        Assert.Contains("Lead L-1 registered for Ann Lee: lead 1, a new client", session.Output, StringComparison.Ordinal);
        Assert.Contains("Review the lead", session.Output, StringComparison.Ordinal);
        Assert.Contains("Qualify the lead", session.Output, StringComparison.Ordinal);
        Assert.Contains("LeadLost", session.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Refused", session.Output, StringComparison.Ordinal);

        var next = await PlayScriptAsync("time\nquit\n", "play", "--db", database);

        Assert.Contains("Clock: 2026-03-02 09:20:00", next.Output, StringComparison.Ordinal);
    }
}
