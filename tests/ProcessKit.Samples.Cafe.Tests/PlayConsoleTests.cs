using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.Samples.Shared.Play;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.Cafe.Tests;

/// <summary>The shared play console, driven by scripts of lines over the cafe process on an in-memory engine and a fake clock.</summary>
public sealed class PlayConsoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Session(ProcessEngine Engine, FakeTimeProvider Clock, string Output, int ExitCode);

    /// <summary>An engine on a fake clock at the start of the evening, with the cafe deployed and its bill handler.</summary>
    private static async Task<(ProcessEngine Engine, FakeTimeProvider Clock)> CafeEngineAsync()
    {
        var clock = new FakeTimeProvider(CafeApp.EveningStart);
        var engine = new ProcessEngine(new ProcessEngineOptions { TimeProvider = clock }.AddHandler(CafeProcess.ComputeBillHandler, CafeMenu.ComputeBill));
        await engine.DeployAsync(CafeProcess.Definition, Ct);
        return (engine, clock);
    }

    private static async Task<Session> PlayAsync(params string[] lines)
    {
        var (engine, clock) = await CafeEngineAsync();
        return await PlayOnAsync(engine, clock, lines);
    }

    /// <summary>Asserts that <paramref name="output"/> says every one of <paramref name="expected"/> (each somewhere, in any order).</summary>
    private static void AssertSays(string output, params string[] expected)
    {
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    private static async Task<Session> PlayOnAsync(ProcessEngine engine, FakeTimeProvider clock, params string[] lines)
    {
        using var input = new StringReader(string.Join('\n', lines) + "\n");
        using var output = new StringWriter();
        var console = new PlayConsole(engine, [CafeProcess.Definition], clock.Advance, input, output) { InstanceNoun = "guest" };
        var exit = await console.RunAsync(Ct);
        return new Session(engine, clock, output.ToString(), exit);
    }

    private static async Task<IReadOnlyList<HumanTaskInfo>> OpenTasksAsync(ProcessEngine engine) =>
        [.. (await engine.QueryTasksAsync(new TaskQuery(), Ct)).Where(t => t.IsOpen)];

    [Fact]
    public async Task A_guest_is_played_from_arrival_to_rating_and_the_instance_completes()
    {
        var session = await PlayAsync(
            "role host hana",
            "start partySize=2",
            "inbox",
            "claim 1",
            "+2m",
            "complete 1 table=5",
            "role waiter walt",
            "complete 2 ordered dishes=soup drinks=tea",
            "role cook",
            "inbox",
            "claim 3",
            "+15m",
            "complete 3",
            "role waiter walt",
            "complete 4",
            "complete 5 served=yes",
            "show 1",
            "+20m",
            "role cashier",
            "complete 6",
            "card",
            "role waiter",
            "complete 7 rating=5",
            "quit");

        Assert.Equal(0, session.ExitCode);
        var guest = await session.Engine.GetInstanceAsync(new InstanceId(1), Ct);
        Assert.Equal(InstanceState.Completed, guest.State);
        Assert.Equal("GuestServed", guest.EndOutcome);
        Assert.Equal(9.50m, guest.Data["billTotal"]);
        AssertSays(
            session.Output,
            "Started guest 1 (Serve a guest) at 18:00.",
            "18:27, in 25m (orderToServing)",
            "Task 3 (Prepare the dishes) done, worked 15m.",
            ">> guestEats",
            "ok prepareDishes",
            "guest 1: timer 'The guest eats' fired",
            "guest 1: 'Compute the bill' done automatically",
            "  outcome (card, cash): card",
            "guest 1: completed (GuestServed)");
        Assert.EndsWith("Bye." + Environment.NewLine, session.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_order_shows_overdue_in_the_inbox_and_gives_the_manager_the_free_dessert_task()
    {
        var session = await PlayAsync(
            "start partySize=4",
            "role host",
            "complete 1 table=3",
            "role waiter",
            "complete 2 ordered dishes=fish,steak",
            "+20m",
            "role cook",
            "inbox",
            "+10m",
            "inbox",
            "role manager mona",
            "inbox",
            "complete 5 freeDessert=yes",
            "show 1");

        Assert.Equal(0, session.ExitCode);
        AssertSays(
            session.Output,
            "18:25, in 5m (orderToServing)",
            "OVERDUE 5m (was 18:25) (orderToServing)",
            "guest 1: deadline orderToServing passed",
            "guest 1: manager notified",
            "Offer a free dessert",
            "Deadline orderToServing: PASSED at 18:25, 5m ago",
            "freeDessert = yes");
        Assert.Equal(["prepareDishes", "prepareDishes"], (await OpenTasksAsync(session.Engine)).Select(t => t.StepId));
    }

    [Fact]
    public async Task Bad_input_is_answered_with_what_is_wrong_and_what_is_allowed_and_never_ends_the_session()
    {
        var session = await PlayAsync(
            "inbox",
            "frobnicate",
            "role chef",
            "role waiter",
            "claim",
            "claim seven",
            "claim 99",
            "+soon",
            "advance",
            "show",
            "show 42",
            "start partySize=0",
            "25",
            "2",
            "complete 1",
            "role host",
            "complete 1",
            "",
            "table nine",
            "41",
            "4",
            "role waiter",
            "complete 2 lunch",
            "maybe",
            "!",
            "quit");

        Assert.Equal(0, session.ExitCode);
        var output = session.Output;
        AssertSays(
            output,
            "Pick a role first: role ROLE [NAME]; roles: host, waiter, cook, cashier, manager.",
            "Unknown command 'frobnicate'. Commands: role, inbox,",
            "There is no role 'chef'; roles: host, waiter, cook, cashier, manager.",
            "Usage: claim TASK. 'inbox' lists the task numbers.",
            "'seven' is not a task number",
            "Refused:",
            "[task.not-found]",
            "'+soon' is not a duration: write +15m, +2h, +1h30m, +45s or +1d.",
            "Usage: advance DURATION",
            "Usage: show ID",
            "There is no guest 42",
            "partySize: 0 is too small: 'partySize' is at least 1.",
            "25 is too large: 'partySize' is at most 20. Try again, or ! to give up.",
            "is for the role 'host'; you are waiter-1 (waiter). Pick that role: role host.",
            "'table' is required (number, 1 to 40, required).",
            "'table nine' is not a number (write it like 12 or 12.5).",
            "41 is too large: 'table' is at most 40.",
            "'lunch' is not an outcome of this task; allowed: ordered, dishUnavailable.",
            "'maybe' is not an outcome of this task; allowed: ordered, dishUnavailable (or ! to give up).",
            "Task 2 left open.");

        var guest = await session.Engine.GetInstanceAsync(new InstanceId(1), Ct);
        Assert.Equal(2m, guest.Data["partySize"]);
        Assert.Equal(4m, guest.Data["table"]);
        Assert.Equal(["takeOrder"], (await OpenTasksAsync(session.Engine)).Select(t => t.StepId));
    }

    [Fact]
    public async Task The_input_ending_in_the_middle_of_a_form_ends_the_session_quietly_and_leaves_the_task_open()
    {
        var session = await PlayAsync("role host", "start partySize=2", "complete 1");

        Assert.Equal(0, session.ExitCode);
        Assert.Contains("  table (number, 1 to 40, required): ", session.Output, StringComparison.Ordinal);
        Assert.Equal(["greetGuest"], (await OpenTasksAsync(session.Engine)).Select(t => t.StepId));
    }

    [Fact]
    public async Task Diagram_prints_the_mermaid_text_with_the_current_steps_highlighted()
    {
        var session = await PlayAsync("start partySize=2", "role host", "complete 1 table=1", "diagram 1", "instances", "help");

        AssertSays(
            session.Output,
            "flowchart",
            "classDef current",
            "    class s_takeOrder current");
        Assert.Contains("takeOrder", session.Output.Split('\n').Single(l => l.TrimStart().StartsWith("1  cafe.serve-guest", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("+15m, +2h, advance 1h30m", session.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_command_is_offered_in_help_and_run_like_the_built_in_ones()
    {
        var (engine, clock) = await CafeEngineAsync();
        using var input = new StringReader("help\nrush 3\nrush\n");
        using var output = new StringWriter();
        var console = new PlayConsole(engine, [CafeProcess.Definition], clock.Advance, input, output);
        console.AddCommand("rush", "rush N                     N guests arrive at once", async (args, ct) =>
        {
            var n = args.Count == 1 && int.TryParse(args[0], out var count) ? count : throw new ArgumentException("rush takes a number of guests");
            for (var i = 0; i < n; i++)
            {
                await engine.StartAsync(CafeProcess.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, cancellationToken: ct);
            }

            output.WriteLine($"{n} guests arrived.");
        });

        Assert.Equal(0, await console.RunAsync(Ct));
        Assert.Throws<ArgumentException>(() => console.AddCommand("inbox", "x", (_, _) => ValueTask.CompletedTask));
        Assert.Contains("rush N                     N guests arrive at once", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("3 guests arrived.", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Error: rush takes a number of guests", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, (await OpenTasksAsync(engine)).Count);
    }
}
