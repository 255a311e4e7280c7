using System.Text.Json;

namespace ProcessKit.Cli.Tests;

/// <summary><c>processkit run DEFINITION --script SCRIPT [--stub-handlers]</c>.</summary>
public sealed class RunTests
{
    private const string Mailer = """
        {
          "id": "mailer",
          "name": "Mailer",
          "roles": [ { "id": "clerk", "name": "Clerk" } ],
          "steps": [
            { "id": "write", "name": "Write", "kind": "HumanTask", "role": "clerk", "writes": [ { "name": "text", "type": "String" } ], "next": [ { "to": "send" } ] },
            { "id": "send", "name": "Send", "kind": "Automated", "handler": "mail.send", "writes": [ { "name": "sentId", "type": "String" } ], "next": [ { "to": "done" } ] },
            { "id": "done", "name": "Done", "kind": "End", "outcome": "Sent" }
          ]
        }
        """;

    private const string WriteAndSend = """
        {
          "steps": [
            { "complete": { "step": "write", "user": "cleo", "roles": ["clerk"], "data": { "text": "hello" } } },
            { "expect": { "state": "Completed", "outcome": "Sent" } }
          ]
        }
        """;

    private static string Sample(string folder, string name) => Path.Combine(AppContext.BaseDirectory, folder, name);

    private static JsonElement Json(CliResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("cafe.json", "cafe-happy-path.json", "GuestServed")]
    [InlineData("sales-office.json", "sales-office-happy-path.json", "DealWon")]
    [InlineData("cafe.json", "cafe-late-order.json", "GuestServed")]
    [InlineData("sales-office.json", "sales-office-no-reply.json", "LeadLost")]
    public async Task A_shipped_script_runs_its_sample_to_the_end_and_every_expectation_holds(string definition, string script, string outcome)
    {
        var result = await CliRunner.RunAsync("run", Sample("definitions", definition), "--script", Sample("scripts", script));

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        var report = Json(result);
        Assert.True(report.GetProperty("script").GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("script").GetProperty("failure").ValueKind);
        Assert.Equal("Completed", report.GetProperty("instance").GetProperty("state").GetString());
        Assert.Equal(outcome, report.GetProperty("instance").GetProperty("endOutcome").GetString());
        Assert.Empty(report.GetProperty("openTasks").EnumerateArray());
        var history = report.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("InstanceStarted", history[0].GetProperty("type").GetString());
        Assert.Equal("InstanceCompleted", history[^1].GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_report_holds_the_characteristics_of_the_instance()
    {
        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", Sample("scripts", "cafe-late-order.json"));

        Assert.Equal(0, result.ExitCode);
        var characteristics = Json(result).GetProperty("characteristics");
        Assert.StartsWith("PT", characteristics.GetProperty("cycleTime").GetString(), StringComparison.Ordinal);
        Assert.True(characteristics.GetProperty("cost").GetDecimal() > 0);
        Assert.Equal(JsonValueKind.Number, characteristics.GetProperty("satisfaction").ValueKind);
        var breach = Assert.Single(characteristics.GetProperty("deadlineBreaches").EnumerateArray());
        Assert.Equal("orderToServing", breach.GetProperty("deadline").GetString());
        Assert.False(characteristics.GetProperty("stayedOnHappyPath").GetBoolean());
        var path = characteristics.GetProperty("path").EnumerateArray().Select(static e => (e.GetProperty("step").GetString(), e.GetProperty("path").GetString())).ToList();
        Assert.Contains(("offerFreeDessert", "Alternate"), path);
        Assert.Equal(("guestServed", "Happy"), path[^1]);
    }

    [Fact]
    public async Task A_failed_expectation_exits_1_with_its_pointer_and_still_prints_where_the_instance_stands()
    {
        using var folder = new TempFolder();
        var script = folder.File("late.json", """
            {
              "start": { "data": { "partySize": 2 } },
              "steps": [
                { "advance": "PT1M" },
                { "expect": { "tasks": ["takeOrder"] } },
                { "advance": "PT1M" }
              ]
            }
            """);

        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"{script}: failed: /steps/1/expect/tasks: expected open tasks at [takeOrder], found [greetGuest]"], result.StderrLines);
        var report = Json(result);
        var summary = report.GetProperty("script");
        Assert.False(summary.GetProperty("passed").GetBoolean());
        Assert.Equal(2, summary.GetProperty("ran").GetInt32());
        Assert.Equal("/steps/1/expect/tasks", summary.GetProperty("failure").GetProperty("pointer").GetString());
        Assert.Equal("2026-01-05T09:01:00+00:00", summary.GetProperty("clock").GetString());
        Assert.Equal("greetGuest", Assert.Single(report.GetProperty("openTasks").EnumerateArray()).GetProperty("step").GetString());
    }

    [Theory]
    [InlineData("""{ "steps": [ { "expect": { "state": "Completed" } } ] }""", "/steps/0/expect/state: expected the instance to be Completed, but it is Running")]
    [InlineData("""{ "steps": [ { "expect": { "outcome": "GuestServed" } } ] }""", "/steps/0/expect/outcome: expected the end outcome 'GuestServed', but it is none (Running)")]
    [InlineData("""{ "steps": [ { "expect": { "activeSteps": [] } } ] }""", "/steps/0/expect/activeSteps: expected the instance to wait at [], found [greetGuest]")]
    [InlineData("""{ "steps": [ { "expect": { "data": { "partySize": 3 } } } ] }""", "/steps/0/expect/data/partySize: expected 'partySize' to be 3, but it is 2")]
    [InlineData("""{ "steps": [ { "complete": { "step": "greetGuest", "user": "hana", "roles": ["host"], "data": { "table": 1 } } }, { "expect": { "data": { "table": "1" } } } ] }""", "/steps/1/expect/data/table: expected 'table' to be \"1\", but it is 1")]
    [InlineData("""{ "steps": [ { "expect": { "history": [ { "type": "TimerFired" } ] } } ] }""", "/steps/0/expect/history/0: expected a TimerFired event in the history, but there is none")]
    [InlineData("""{ "steps": [ { "complete": { "step": "greetGuest", "user": "walt", "roles": ["waiter"], "data": { "table": 1 } } } ] }""", "/steps/0/complete: ")]
    [InlineData("""{ "steps": [ { "complete": { "step": "serve", "user": "walt", "roles": ["waiter"] } } ] }""", "/steps/0/complete: Expected an open task at step 'serve' for walt, but there is none.")]
    public async Task Each_kind_of_failure_names_the_action_or_expectation_by_its_pointer(string steps, string expected)
    {
        using var folder = new TempFolder();
        var script = folder.File("s.json", steps.Replace("{ \"steps\"", "{ \"start\": { \"data\": { \"partySize\": 2 } }, \"steps\"", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", script);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"{script}: failed: {expected}", line, StringComparison.Ordinal);
        Assert.False(Json(result).GetProperty("script").GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Start_data_that_misses_a_required_input_fails_at_the_start()
    {
        using var folder = new TempFolder();
        var script = folder.File("s.json", """{ "steps": [] }""");

        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{script}: failed: /start: The start data of 'cafe.serve-guest' does not match its inputs: 'partySize' is required.", Assert.Single(result.StderrLines), StringComparison.Ordinal);
        Assert.False(Json(result).TryGetProperty("instance", out _));
    }

    [Theory]
    [InlineData("{", "/: not valid JSON at line")]
    [InlineData("[]", "/: must be an object, not array")]
    [InlineData("""{ "start": {} }""", "/: the script has no \"steps\" (an array of actions)")]
    [InlineData("""{ "steps": [], "stpes": [] }""", "/stpes: unknown property \"stpes\"; allowed: start, handlers, steps")]
    [InlineData("""{ "steps": [ { "jump": "x" } ] }""", "/steps/0/jump: unknown action \"jump\"")]
    [InlineData("""{ "steps": [ { "advance": "PT1M", "expect": { "state": "Running" } } ] }""", "/steps/0: an action is an object with exactly one property")]
    [InlineData("""{ "steps": [ { "advance": "30 minutes" } ] }""", "/steps/0/advance: \"30 minutes\" is not an ISO 8601 duration")]
    [InlineData("""{ "steps": [ { "advance": "-PT1M" } ] }""", "/steps/0/advance: time only moves forward")]
    [InlineData("""{ "steps": [ { "complete": { "step": "greetGuest", "roles": ["host"] } } ] }""", "/steps/0/complete: \"user\" is required")]
    [InlineData("""{ "steps": [ { "complete": { "step": "greetGuest", "user": "hana", "roles": "host" } } ] }""", "/steps/0/complete/roles: must be an array of non-empty strings")]
    [InlineData("""{ "steps": [ { "claim": { "step": "greetGuest", "user": "hana", "outcome": "x" } } ] }""", "/steps/0/claim/outcome: unknown property \"outcome\"")]
    [InlineData("""{ "steps": [ { "expect": {} } ] }""", "/steps/0/expect: an expectation checks at least one of")]
    [InlineData("""{ "steps": [ { "expect": { "state": "Done" } } ] }""", "/steps/0/expect/state: unknown state \"Done\"; allowed: Running, Completed, Cancelled, Failed")]
    [InlineData("""{ "steps": [ { "expect": { "history": [ { "type": "Nope" } ] } } ] }""", "/steps/0/expect/history/0/type: unknown event type \"Nope\"")]
    [InlineData("""{ "steps": [ { "publish": { "correlation": "x" } } ] }""", "/steps/0/publish: \"message\" is required")]
    [InlineData("""{ "start": { "messageId": "m" }, "steps": [] }""", "/start/messageId: \"messageId\" only applies to a start by \"message\"")]
    [InlineData("""{ "steps": [], "steps": [] }""", "/: not valid JSON")]
    public async Task An_invalid_script_is_one_error_line_with_its_pointer_and_nothing_runs(string content, string expected)
    {
        using var folder = new TempFolder();
        var script = folder.File("bad.json", content);

        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith($"{script}: error: {expected}", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_handler_is_an_error_that_lists_it_without_the_flag()
    {
        using var folder = new TempFolder();
        var definition = folder.File("mailer.json", Mailer);
        var script = folder.File("s.json", WriteAndSend);

        var result = await CliRunner.RunAsync("run", definition, "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.StartsWith($"{definition}: error: the definition uses handlers the tool does not have: mail.send (pass --stub-handlers", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_flag_an_unknown_handler_runs_as_a_no_op_that_returns_no_data()
    {
        using var folder = new TempFolder();
        var definition = folder.File("mailer.json", Mailer);
        var script = folder.File("s.json", WriteAndSend);

        var result = await CliRunner.RunAsync("run", definition, "--script", script, "--stub-handlers");

        Assert.Equal(0, result.ExitCode);
        var report = Json(result);
        Assert.Equal(["mail.send"], report.GetProperty("script").GetProperty("stubbedHandlers").EnumerateArray().Select(static e => e.GetString()));
        var data = report.GetProperty("instance").GetProperty("data");
        Assert.Equal("hello", data.GetProperty("text").GetString());
        Assert.False(data.TryGetProperty("sentId", out _));
    }

    [Fact]
    public async Task A_script_can_give_the_data_a_handler_returns()
    {
        using var folder = new TempFolder();
        var definition = folder.File("mailer.json", Mailer);
        var script = folder.File("s.json", """
            {
              "handlers": { "mail.send": { "sentId": "M-42" } },
              "steps": [
                { "complete": { "step": "write", "user": "cleo", "roles": ["clerk"] } },
                { "expect": { "outcome": "Sent", "data": { "sentId": "M-42" } } }
              ]
            }
            """);

        var result = await CliRunner.RunAsync("run", definition, "--script", script);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.False(Json(result).GetProperty("script").TryGetProperty("stubbedHandlers", out _));
    }

    [Fact]
    public async Task An_invalid_definition_prints_its_problems_and_runs_nothing()
    {
        using var folder = new TempFolder();
        var definition = folder.File("bad.json", """{ "id": "x", "name": "X", "steps": [] }""");
        var script = folder.File("s.json", """{ "steps": [] }""");

        var result = await CliRunner.RunAsync("run", definition, "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.All(result.StderrLines, line => Assert.StartsWith(definition + ":", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_script_file_is_one_error_line()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "missing.json");

        var result = await CliRunner.RunAsync("run", Sample("definitions", "cafe.json"), "--script", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"{missing}: error: file not found"], result.StderrLines);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "a.json")]
    [InlineData("run", "a.json", "b.json", "--script", "s.json")]
    [InlineData("run", "a.json", "--script")]
    [InlineData("run", "a.json", "--script", "s.json", "--stub")]
    public async Task A_wrong_command_line_is_a_usage_error(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("processkit: error: ", result.StderrLines[0], StringComparison.Ordinal);
        Assert.Contains(result.StderrLines, static l => l.Contains("processkit run DEFINITION", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_help_describes_the_command_and_points_to_the_script_format()
    {
        var result = await CliRunner.RunAsync("run", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("docs/run-scripts.md", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--stub-handlers", result.Stdout, StringComparison.Ordinal);
    }
}
