using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Export;
using ProcessKit.History;
using ProcessKit.Samples.Shared.Tables;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.Shared.Play;

/// <summary>
/// The interactive play mode of the sample hosts: in a terminal (or from a script of lines), pick a
/// role, see its inbox with deadlines, claim and complete tasks with outcomes and data, start
/// instances, move a fake clock forward, and see an instance move along its diagram.
/// </summary>
/// <remarks>
/// <para>
/// The console drives the engine it is given, on the engine's <see cref="ProcessEngine.TimeProvider"/>;
/// the clock only moves when the user advances it (<c>+15m</c>): the host passes the callback that
/// moves its fake clock. After every advance, and after every command, the console runs what is due
/// (<see cref="ProcessEngine.RunDueAsync(CancellationToken)"/>) itself, so the host should not run a
/// background worker on the same engine while playing (its output would race the console's).
/// </para>
/// <para>
/// Bad input never ends the session: an unknown command, a missing argument, a value that does not
/// fit a field or a command the engine refuses is answered with what is wrong and what is allowed.
/// Type <c>help</c> for the commands. No colours are used.
/// </para>
/// <para>Not thread-safe: one console reads one input.</para>
/// </remarks>
public sealed class PlayConsole
{
    private const int HistoryTail = 8;
    private readonly ProcessEngine _engine;
    private readonly Dictionary<string, ProcessDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Action<TimeSpan> _advanceClock;
    private readonly TextReader _input;
    private readonly TextWriter _output;
    private readonly PlayForm _form;
    private readonly Dictionary<string, (string Help, Func<IReadOnlyList<string>, CancellationToken, ValueTask> Run)> _extra = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedDictionary<long, int> _seen = [];

    /// <summary>Builds a console over an engine whose processes are already deployed.</summary>
    /// <param name="engine">The engine to drive; its <see cref="ProcessEngine.TimeProvider"/> is the clock shown.</param>
    /// <param name="definitions">The processes to play (deployed on <paramref name="engine"/>); at least one.</param>
    /// <param name="advanceClock">Moves the engine's clock forward by the given positive duration (for example <c>FakeTimeProvider.Advance</c>).</param>
    /// <param name="input">The lines typed (or scripted).</param>
    /// <param name="output">Where the console writes.</param>
    /// <exception cref="ArgumentException">No definition is given.</exception>
    public PlayConsole(ProcessEngine engine, IEnumerable<ProcessDefinition> definitions, Action<TimeSpan> advanceClock, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(advanceClock);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        foreach (var definition in definitions)
        {
            _definitions[definition.Id] = definition;
        }

        if (_definitions.Count == 0)
        {
            throw new ArgumentException("Play needs at least one process.", nameof(definitions));
        }

        _engine = engine;
        _advanceClock = advanceClock;
        _input = input;
        _output = output;
        _form = new PlayForm(input, output, engine.TimeProvider, EchoInput);
    }

    /// <summary>
    /// Whether lines read are written back to the output (so a scripted session's transcript shows
    /// what was typed). Default: when the input is not the console's, or the console's input is redirected.
    /// </summary>
    public bool EchoInput => !ReferenceEquals(_input, Console.In) || Console.IsInputRedirected;

    /// <summary>A line written when the session starts, before the help hint. Default: none.</summary>
    public string? Banner { get; init; }

    /// <summary>What an instance is called in messages (<c>guest</c>, <c>lead</c>). Default <c>instance</c>.</summary>
    public string InstanceNoun { get; init; } = "instance";

    /// <summary>The user playing now, or <see langword="null"/> before a role is picked.</summary>
    public ProcessUser? User { get; private set; }

    /// <summary>The instances this console knows about: started here, or seen in an inbox or by <c>show</c>.</summary>
    public IReadOnlyCollection<InstanceId> KnownInstances => [.. _seen.Keys.Select(static k => new InstanceId(k))];

    /// <summary>
    /// Adds a command of the host's own (for example one that publishes a message). It gets the words
    /// after its name and writes to the console's output itself; an exception it throws is reported
    /// like a refused command.
    /// </summary>
    /// <param name="name">The command word; must not be one of the built-in commands.</param>
    /// <param name="help">One line for <c>help</c>, starting with its usage.</param>
    /// <param name="run">Runs the command.</param>
    /// <returns>This console.</returns>
    /// <exception cref="ArgumentException">The name is empty or taken.</exception>
    public PlayConsole AddCommand(string name, string help, Func<IReadOnlyList<string>, CancellationToken, ValueTask> run)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(help);
        ArgumentNullException.ThrowIfNull(run);
        if (BuiltIn.Contains(name) || !_extra.TryAdd(name, (help, run)))
        {
            throw new ArgumentException($"The play command '{name}' exists already.", nameof(name));
        }

        return this;
    }

    /// <summary>Reads and runs commands until <c>quit</c> or the end of the input.</summary>
    /// <param name="cancellationToken">Stops the session between commands.</param>
    /// <returns>0 (the exit code of a session that ended normally).</returns>
    public async ValueTask<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Banner is not null)
        {
            _output.WriteLine(Banner);
        }

        _output.WriteLine($"Clock: {Now:yyyy-MM-dd HH:mm} (fake time: it moves only when you type +15m, +2h, ...). Type 'help' for the commands.");
        await RunDueAsync(cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = _form.Ask(User is null ? "play> " : $"play {User.Id}> ");
            if (line is null)
            {
                return 0;
            }

            var words = PlayText.Words(line);
            if (words.Count == 0)
            {
                continue;
            }

            if (words[0].ToLowerInvariant() is "quit" or "exit" or "q")
            {
                _output.WriteLine("Bye.");
                return 0;
            }

            try
            {
                await ExecuteAsync(words, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessKitException e)
            {
                _output.WriteLine($"Refused: {e.Message} [{e.ErrorCode}]");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _output.WriteLine($"Error: {e.Message}");
            }

            if (_form.InputEnded)
            {
                return 0;
            }
        }

        return 0;
    }

    private static readonly HashSet<string> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        "help", "?", "role", "whoami", "inbox", "claim", "release", "complete", "done", "start", "advance", "wait",
        "time", "instances", "list", "show", "diagram", "quit", "exit", "q",
    };

    private DateTimeOffset Now => _engine.TimeProvider.GetUtcNow();

    private async ValueTask ExecuteAsync(List<string> words, CancellationToken ct)
    {
        var command = words[0].ToLowerInvariant();
        var args = words.Skip(1).ToList();
        if (command.StartsWith('+'))
        {
            await AdvanceAsync(words[0], ct).ConfigureAwait(false);
            return;
        }

        switch (command)
        {
            case "help" or "?":
                Help();
                break;
            case "role":
                Role(args);
                break;
            case "whoami":
                _output.WriteLine(User is null ? "No role picked yet: role ROLE [NAME]." : $"You are {User.Id} ({string.Join(", ", User.Roles)}).");
                break;
            case "inbox":
                await InboxAsync(ct).ConfigureAwait(false);
                break;
            case "claim":
                await ClaimAsync(args, ct).ConfigureAwait(false);
                break;
            case "release":
                await ReleaseAsync(args, ct).ConfigureAwait(false);
                break;
            case "complete" or "done":
                await CompleteAsync(args, ct).ConfigureAwait(false);
                break;
            case "start":
                await StartAsync(args, ct).ConfigureAwait(false);
                break;
            case "advance" or "wait":
                if (args.Count != 1)
                {
                    _output.WriteLine($"Usage: {command} DURATION, for example {command} 15m (or +15m, +2h, +1h30m).");
                    break;
                }

                await AdvanceAsync(args[0], ct).ConfigureAwait(false);
                break;
            case "time":
                _output.WriteLine($"Clock: {Now:yyyy-MM-dd HH:mm:ss} (fake time).");
                break;
            case "instances" or "list":
                await InstancesAsync(ct).ConfigureAwait(false);
                break;
            case "show":
                if (await InstanceArgumentAsync(args, "show", ct).ConfigureAwait(false) is { } shown)
                {
                    await ShowAsync(shown, ct).ConfigureAwait(false);
                }

                break;
            case "diagram":
                if (await InstanceArgumentAsync(args, "diagram", ct).ConfigureAwait(false) is { } drawn)
                {
                    await MermaidAsync(drawn, ct).ConfigureAwait(false);
                }

                break;
            default:
                if (_extra.TryGetValue(command, out var extra))
                {
                    await extra.Run(args, ct).ConfigureAwait(false);
                    await RunDueAsync(ct).ConfigureAwait(false);
                    break;
                }

                _output.WriteLine($"Unknown command '{words[0]}'. Commands: {string.Join(", ", CommandNames())}; 'help' explains them.");
                break;
        }
    }

    private IEnumerable<string> CommandNames() =>
        new[] { "role", "inbox", "claim", "complete", "release", "start", "+DURATION", "instances", "show", "diagram", "time", "help", "quit" }
            .Concat(_extra.Keys.Order(StringComparer.Ordinal));

    private void Help()
    {
        var roles = string.Join(", ", AllRoles().Select(static r => r.Id).Distinct(StringComparer.Ordinal));
        _output.WriteLine("Commands:");
        _output.WriteLine($"  role ROLE [NAME]           play as NAME (default ROLE-1) in ROLE; roles: {roles}");
        _output.WriteLine("  inbox                      the tasks you can take, oldest first, with deadlines (OVERDUE marked)");
        _output.WriteLine("  claim TASK                 take a task: its work time (and cost) runs from now");
        _output.WriteLine("  complete TASK [OUTCOME] [field=value ...]");
        _output.WriteLine("                             finish a task; asks for the outcome and the fields it writes (! gives up);");
        _output.WriteLine("                             with field=value given, only missing required fields are asked");
        _output.WriteLine("  release TASK               give a claimed task back to its role");
        _output.WriteLine($"  start [PROCESS] [field=value ...]  start a new {InstanceNoun}; asks for its inputs; processes: {string.Join(", ", _definitions.Keys)}");
        _output.WriteLine("  +15m, +2h, advance 1h30m   move the clock forward; timers and deadlines that come due fire");
        _output.WriteLine($"  instances                  the {InstanceNoun}s known to this session and where they are");
        _output.WriteLine($"  show ID                    one {InstanceNoun}: state, data, active steps, deadlines, history, where it stands");
        _output.WriteLine($"  diagram ID                 the Mermaid diagram with the {InstanceNoun}'s current steps highlighted");
        _output.WriteLine("  time, whoami, help, quit");
        foreach (var (name, (help, _)) in _extra.OrderBy(static e => e.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {help}");
        }
    }

    private IEnumerable<RoleDefinition> AllRoles() => _definitions.Values.SelectMany(static d => d.Roles);

    private void Role(List<string> args)
    {
        var roles = AllRoles().GroupBy(static r => r.Id, StringComparer.Ordinal).Select(static g => g.First()).ToList();
        if (args.Count is 0 or > 2)
        {
            _output.WriteLine($"Usage: role ROLE [NAME]; roles: {string.Join(", ", roles.Select(static r => r.Id))}.");
            return;
        }

        var role = roles.FirstOrDefault(r => string.Equals(r.Id, args[0], StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (role is null)
        {
            _output.WriteLine($"There is no role '{args[0]}'; roles: {string.Join(", ", roles.Select(static r => r.Id))}.");
            return;
        }

        var name = args.Count == 2 ? args[1] : role.Id + "-1";
        User = new ProcessUser(name, [role.Id]);
        _output.WriteLine($"You are {name}, {role.Name}. 'inbox' shows your tasks.");
    }

    private bool NeedUser()
    {
        if (User is not null)
        {
            return true;
        }

        _output.WriteLine($"Pick a role first: role ROLE [NAME]; roles: {string.Join(", ", AllRoles().Select(static r => r.Id).Distinct(StringComparer.Ordinal))}.");
        return false;
    }

    private async ValueTask InboxAsync(CancellationToken ct)
    {
        if (!NeedUser())
        {
            return;
        }

        var tasks = (await _engine.QueryTasksAsync(new TaskQuery { AvailableTo = User }, ct).ConfigureAwait(false))
            .OrderBy(static t => t.CreatedAt).ThenBy(static t => t.TaskId).ToList();
        if (tasks.Count == 0)
        {
            _output.WriteLine($"Your inbox is empty ({User!.Id}, {string.Join(", ", User.Roles)}). Start a {InstanceNoun} or advance the clock.");
            return;
        }

        var now = Now;
        var table = new TextTable("task", InstanceNoun, "step", "item", "state", "waiting", "due").AlignRight(0, 1);
        foreach (var task in tasks)
        {
            Remember(task.Instance);
            var due = await DueAsync(task, ct).ConfigureAwait(false);
            table.AddRow(
                task.TaskId,
                task.Instance.Value,
                task.StepName,
                task.Item is null ? string.Empty : PlayText.Value(task.Item),
                task.ClaimedBy is null ? (task.AssignedTo is null ? "offered" : "assigned to " + task.AssignedTo) : "claimed by " + task.ClaimedBy,
                PlayText.Duration(now - task.CreatedAt),
                due);
        }

        _output.WriteLine($"Inbox of {User!.Id} ({string.Join(", ", User.Roles)}) at {now:HH:mm}:");
        table.WriteTo(_output, 2);
    }

    private async ValueTask<string> DueAsync(HumanTaskInfo task, CancellationToken ct)
    {
        var now = Now;
        if (task.DueAt is { } dueAt)
        {
            return Due(dueAt, now, null);
        }

        var spans = await OpenSpansAsync(task.Instance, ct).ConfigureAwait(false);
        var span = spans.Where(s => s.Steps.Contains(task.StepId)).OrderBy(static s => s.Due).FirstOrDefault();
        return span.Id is null ? "-" : Due(span.Due, now, span.Id);
    }

    private static string Due(DateTimeOffset due, DateTimeOffset now, string? deadline)
    {
        var what = deadline is null ? string.Empty : $" ({deadline})";
        return due < now
            ? $"OVERDUE {PlayText.Duration(now - due)} (was {due:HH:mm}){what}"
            : $"{due:HH:mm}, in {PlayText.Duration(due - now)}{what}";
    }

    /// <summary>
    /// The span deadlines of an instance still running: started (their <c>from</c> step entered) and
    /// not ended (their <c>until</c> step not entered since), with the steps inside them.
    /// </summary>
    private async ValueTask<List<(string Id, DateTimeOffset Due, bool Breached, HashSet<string> Steps)>> OpenSpansAsync(InstanceId instance, CancellationToken ct)
    {
        var result = new List<(string, DateTimeOffset, bool, HashSet<string>)>();
        var snapshot = await _engine.GetInstanceAsync(instance, ct).ConfigureAwait(false);
        if (snapshot.State != InstanceState.Running || !_definitions.TryGetValue(snapshot.ProcessId, out var definition) || definition.Deadlines.IsEmpty)
        {
            return result;
        }

        var history = await _engine.GetHistoryAsync(instance, ct).ConfigureAwait(false);
        foreach (var deadline in definition.Deadlines)
        {
            if (deadline.Within.After is not { } within)
            {
                continue;
            }

            var started = -1;
            for (var i = history.Count - 1; i >= 0; i--)
            {
                if (history[i].Type == HistoryEventType.StepEntered && history[i].StepId == deadline.From)
                {
                    started = i;
                    break;
                }
            }

            // The span starts at the first entry of 'from' after the last entry of 'until'.
            if (started < 0)
            {
                continue;
            }

            var lastUntil = deadline.Until is null ? -1 : LastIndex(history, HistoryEventType.StepEntered, deadline.Until);
            if (lastUntil > started)
            {
                continue;
            }

            var first = started;
            for (var i = started - 1; i > lastUntil; i--)
            {
                if (history[i].Type == HistoryEventType.StepEntered && history[i].StepId == deadline.From)
                {
                    first = i;
                }
            }

            var breached = history.Skip(first).Any(e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == deadline.Id);
            result.Add((deadline.Id, history[first].Time + within, breached, SpanSteps(definition, deadline)));
        }

        return result;
    }

    private static int LastIndex(IReadOnlyList<HistoryEvent> history, HistoryEventType type, string step)
    {
        for (var i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].Type == type && history[i].StepId == step)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The steps reachable from a span's start by flows without passing its end.</summary>
    private static HashSet<string> SpanSteps(ProcessDefinition definition, DeadlineDefinition deadline)
    {
        var steps = definition.Steps.ToDictionary(static s => s.Id, StringComparer.Ordinal);
        var inside = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(deadline.From);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (id == deadline.Until || !inside.Add(id) || !steps.TryGetValue(id, out var step))
            {
                continue;
            }

            foreach (var flow in step.Flows)
            {
                stack.Push(flow.To);
            }
        }

        return inside;
    }

    private bool TryTaskId(List<string> args, string usage, out long taskId)
    {
        taskId = 0;
        if (args.Count == 0 || !long.TryParse(args[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out taskId))
        {
            _output.WriteLine(args.Count == 0 ? $"Usage: {usage}. 'inbox' lists the task numbers." : $"'{args[0]}' is not a task number; 'inbox' lists them. Usage: {usage}.");
            return false;
        }

        return true;
    }

    private async ValueTask ClaimAsync(List<string> args, CancellationToken ct)
    {
        if (!NeedUser() || !TryTaskId(args, "claim TASK", out var taskId))
        {
            return;
        }

        await _engine.ClaimTaskAsync(taskId, User!, ct).ConfigureAwait(false);
        var task = await _engine.GetTaskAsync(taskId, ct).ConfigureAwait(false);
        _output.WriteLine($"Task {taskId} ({task.StepName}, {InstanceNoun} {task.Instance}) is yours since {Now:HH:mm}. Advance the clock for the work, then 'complete {taskId}'.");
        await RunDueAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask ReleaseAsync(List<string> args, CancellationToken ct)
    {
        if (!NeedUser() || !TryTaskId(args, "release TASK", out var taskId))
        {
            return;
        }

        await _engine.ReleaseTaskAsync(taskId, User!, ct).ConfigureAwait(false);
        _output.WriteLine($"Task {taskId} is back in its role's inbox.");
        await RunDueAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask CompleteAsync(List<string> args, CancellationToken ct)
    {
        if (!NeedUser() || !TryTaskId(args, "complete TASK [OUTCOME] [field=value ...]", out var taskId))
        {
            return;
        }

        var task = await _engine.GetTaskAsync(taskId, ct).ConfigureAwait(false);
        if (!task.IsOpen)
        {
            _output.WriteLine($"Task {taskId} is {task.State.ToString().ToLowerInvariant()} already; 'inbox' lists the open ones.");
            return;
        }

        if (!User!.IsInRole(task.Role) && task.AssignedTo != User.Id && task.ClaimedBy != User.Id)
        {
            _output.WriteLine($"Task {taskId} ({task.StepName}) is for the role '{task.Role}'; you are {User.Id} ({string.Join(", ", User.Roles)}). Pick that role: role {task.Role}.");
            return;
        }

        var (given, rest) = Assignments(args.Skip(1));
        string? outcome = null;
        if (task.Outcomes.Count > 0)
        {
            outcome = rest.Count > 0 ? PlayForm.Match(task.Outcomes, rest[0]) : null;
            if (rest.Count > 0 && outcome is null)
            {
                _output.WriteLine($"  '{rest[0]}' is not an outcome of this task; allowed: {string.Join(", ", task.Outcomes)}.");
            }

            outcome ??= task.Outcomes.Count == 1 ? task.Outcomes[0] : _form.AskOutcome(task.Outcomes);
            if (outcome is null)
            {
                _output.WriteLine($"Task {taskId} left open.");
                return;
            }
        }
        else if (rest.Count > 0)
        {
            _output.WriteLine($"  Task {taskId} has no outcomes; '{rest[0]}' is ignored.");
        }

        var definition = _definitions.GetValueOrDefault(task.ProcessId);
        var step = definition?.Steps.FirstOrDefault(s => s.Id == task.StepId) as HumanTaskStep;
        var fields = step?.Writes.AsEnumerable() ?? [];
        var data = _form.AskFields(fields, given, askOptional: given.Count == 0);
        if (data is null)
        {
            _output.WriteLine($"Task {taskId} left open.");
            return;
        }

        var claimed = task.ClaimedAt;
        await _engine.CompleteTaskAsync(taskId, User, outcome, data, ct).ConfigureAwait(false);
        var worked = claimed is null ? "completed at once (claim first to count work time)" : $"worked {PlayText.Duration(Now - claimed.Value)}";
        _output.WriteLine($"Task {taskId} ({task.StepName}) done{(outcome is null ? string.Empty : ": " + outcome)}, {worked}.");
        Remember(task.Instance);
        await RunDueAsync(ct).ConfigureAwait(false);
    }

    private static (Dictionary<string, string> Given, List<string> Words) Assignments(IEnumerable<string> words)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                given[word[..eq]] = word[(eq + 1)..];
            }
            else
            {
                rest.Add(word);
            }
        }

        return (given, rest);
    }

    private async ValueTask StartAsync(List<string> args, CancellationToken ct)
    {
        var (given, rest) = Assignments(args);
        ProcessDefinition? definition;
        if (rest.Count > 0)
        {
            definition = _definitions.Values.FirstOrDefault(d => string.Equals(d.Id, rest[0], StringComparison.OrdinalIgnoreCase));
            if (definition is null)
            {
                _output.WriteLine($"There is no process '{rest[0]}'; processes: {string.Join(", ", _definitions.Keys)}.");
                return;
            }
        }
        else if (_definitions.Count == 1)
        {
            definition = _definitions.Values.First();
        }
        else
        {
            _output.WriteLine($"Which process? start PROCESS; processes: {string.Join(", ", _definitions.Keys)}.");
            return;
        }

        var inputs = definition.Suppliers.SelectMany(static s => s.Inputs).ToList();
        if (inputs.Count > 0 && given.Count < inputs.Count)
        {
            _output.WriteLine($"Starting {definition.Name}: its inputs, please.");
        }

        var data = _form.AskFields(inputs, given, askOptional: given.Count == 0);
        if (data is null)
        {
            _output.WriteLine("Nothing started.");
            return;
        }

        var id = await _engine.StartAsync(definition.Id, data, cancellationToken: ct).ConfigureAwait(false);
        _output.WriteLine($"Started {InstanceNoun} {id} ({definition.Name}) at {Now:HH:mm}.");
        _seen.TryAdd(id.Value, 0);
        await RunDueAsync(ct).ConfigureAwait(false);
    }

    private async ValueTask AdvanceAsync(string text, CancellationToken ct)
    {
        if (!PlayText.TryParseDuration(text, out var by))
        {
            _output.WriteLine($"'{text}' is not a duration: write +15m, +2h, +1h30m, +45s or +1d.");
            return;
        }

        if (by > TimeSpan.FromDays(366))
        {
            _output.WriteLine("That is more than a year; advance at most 366 days at a time.");
            return;
        }

        _advanceClock(by);
        _output.WriteLine($"Clock: {Now:yyyy-MM-dd HH:mm} (+{PlayText.Duration(by)}).");
        await RunDueAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Runs what is due until nothing is, then tells what happened to the known instances.</summary>
    private async ValueTask RunDueAsync(CancellationToken ct)
    {
        for (var round = 0; round < 10_000 && await _engine.RunDueAsync(ct).ConfigureAwait(false) > 0; round++)
        {
        }

        foreach (var id in _seen.Keys.ToList())
        {
            var history = await _engine.GetHistoryAsync(new InstanceId(id), ct).ConfigureAwait(false);
            var from = _seen[id];
            _seen[id] = history.Count;
            foreach (var e in history.Skip(from))
            {
                if (Happening(e) is { } note)
                {
                    _output.WriteLine($"  {e.Time:HH:mm} {InstanceNoun} {id}: {note}");
                }
            }
        }
    }

    private string? Happening(HistoryEvent e)
    {
        var step = e.StepId is null ? null : StepName(e.ProcessId, e.StepId);
        return e.Type switch
        {
            HistoryEventType.TaskCreated => $"new task '{step}' for {e.RoleId}",
            HistoryEventType.TimerFired => $"timer '{step}' fired",
            HistoryEventType.DeadlineBreached => $"deadline {e.Detail} passed",
            HistoryEventType.NotificationSent => $"{e.RoleId} notified{(e.Detail is null ? string.Empty : ": " + e.Detail)}",
            HistoryEventType.StepCompleted when step is not null && Kind(e.ProcessId, e.StepId!) == StepKind.Automated => $"'{step}' done automatically",
            HistoryEventType.IncidentRaised => $"incident at '{step}': {e.Detail}",
            HistoryEventType.InstanceCompleted => $"completed ({e.Detail ?? "no outcome"})",
            HistoryEventType.InstanceCancelled => "cancelled",
            HistoryEventType.InstanceFailed => $"failed: {e.Detail}",
            _ => null,
        };
    }

    private string StepName(string processId, string stepId) =>
        _definitions.GetValueOrDefault(processId)?.Steps.FirstOrDefault(s => s.Id == stepId)?.Name ?? stepId;

    private StepKind? Kind(string processId, string stepId) =>
        _definitions.GetValueOrDefault(processId)?.Steps.FirstOrDefault(s => s.Id == stepId)?.Kind;

    private void Remember(InstanceId id)
    {
        if (!_seen.ContainsKey(id.Value))
        {
            // Known from now on: happenings are told from here, not replayed.
            _seen[id.Value] = int.MaxValue;
        }
    }

    private async ValueTask<InstanceId?> InstanceArgumentAsync(List<string> args, string command, CancellationToken ct)
    {
        if (args.Count != 1 || !InstanceId.TryParse(args[0].TrimStart('#'), out var id))
        {
            _output.WriteLine(args.Count == 0
                ? $"Usage: {command} ID; 'instances' lists them."
                : $"'{string.Join(' ', args)}' is not a {InstanceNoun} number; usage: {command} ID.");
            return null;
        }

        try
        {
            await _engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        }
        catch (ProcessKitException)
        {
            _output.WriteLine($"There is no {InstanceNoun} {id}; 'instances' lists the known ones.");
            return null;
        }

        if (!_seen.ContainsKey(id.Value))
        {
            _seen[id.Value] = (await _engine.GetHistoryAsync(id, ct).ConfigureAwait(false)).Count;
        }

        return id;
    }

    private async ValueTask InstancesAsync(CancellationToken ct)
    {
        foreach (var task in await _engine.QueryTasksAsync(new TaskQuery(), ct).ConfigureAwait(false))
        {
            if (task.IsOpen && !_seen.ContainsKey(task.Instance.Value))
            {
                _seen[task.Instance.Value] = (await _engine.GetHistoryAsync(task.Instance, ct).ConfigureAwait(false)).Count;
            }
        }

        if (_seen.Count == 0)
        {
            _output.WriteLine($"No {InstanceNoun}s yet: 'start' one.");
            return;
        }

        var now = Now;
        var table = new TextTable(InstanceNoun, "process", "state", "started", "active steps").AlignRight(0);
        foreach (var id in _seen.Keys)
        {
            var snapshot = await _engine.GetInstanceAsync(new InstanceId(id), ct).ConfigureAwait(false);
            table.AddRow(
                id,
                snapshot.ProcessId,
                snapshot.State == InstanceState.Completed ? $"completed ({snapshot.EndOutcome ?? "-"})" : snapshot.State.ToString().ToLowerInvariant(),
                PlayText.Time(snapshot.StartedAt, now),
                string.Join(", ", snapshot.ActiveSteps));
        }

        table.WriteTo(_output, 2);
    }

    private async ValueTask ShowAsync(InstanceId id, CancellationToken ct)
    {
        var snapshot = await _engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        var history = await _engine.GetHistoryAsync(id, ct).ConfigureAwait(false);
        var definition = _definitions.GetValueOrDefault(snapshot.ProcessId);
        var now = Now;
        var state = snapshot.State.ToString().ToLowerInvariant();
        var ended = snapshot.EndedAt is { } end ? $", ended {PlayText.Time(end, now)} after {PlayText.Duration(end - snapshot.StartedAt)}" : $", running for {PlayText.Duration(now - snapshot.StartedAt)}";
        _output.WriteLine($"{Capital(InstanceNoun)} {id} of {snapshot.ProcessId} v{snapshot.ProcessVersion}: {state}{(snapshot.EndOutcome is null ? string.Empty : " (" + snapshot.EndOutcome + ")")}, started {PlayText.Time(snapshot.StartedAt, now)}{ended}.");
        _output.WriteLine("Data:");
        if (snapshot.Data.Count == 0)
        {
            _output.WriteLine("  (none)");
        }

        foreach (var (name, value) in snapshot.Data.OrderBy(static kv => kv.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {name} = {PlayText.Value(value)}");
        }

        var open = (await _engine.QueryTasksAsync(new TaskQuery { Instance = id }, ct).ConfigureAwait(false)).Where(static t => t.IsOpen).ToList();
        _output.WriteLine("Active steps: " + (snapshot.ActiveSteps.Count == 0 ? "none" : string.Join(", ", snapshot.ActiveSteps)));
        foreach (var task in open)
        {
            var holder = task.ClaimedBy is null ? "offered to " + task.Role : "claimed by " + task.ClaimedBy;
            _output.WriteLine($"  task {task.TaskId}: {task.StepName}{(task.Item is null ? string.Empty : " (" + PlayText.Value(task.Item) + ")")}, {holder}");
        }

        foreach (var span in await OpenSpansAsync(id, ct).ConfigureAwait(false))
        {
            _output.WriteLine($"Deadline {span.Id}: {(span.Breached ? "PASSED" : "due")} {Due(span.Due, now, null)}");
        }

        var cost = history.Sum(static e => e.Cost);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cost so far: {cost:0.00}"));
        _output.WriteLine($"History (last {Math.Min(HistoryTail, history.Count)} of {history.Count}):");
        foreach (var e in history.Skip(Math.Max(0, history.Count - HistoryTail)))
        {
            var step = e.StepId is null ? string.Empty : " " + e.StepId;
            var who = e.UserId is null ? (e.RoleId is null ? string.Empty : " role " + e.RoleId) : " by " + e.UserId;
            var detail = e.Detail is null ? string.Empty : " (" + e.Detail + ")";
            var price = e.Cost == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" cost {e.Cost:0.00}");
            _output.WriteLine($"  {PlayText.Time(e.Time, now)} {e.Type}{step}{who}{detail}{price}");
        }

        if (definition is not null)
        {
            _output.WriteLine("Where it stands:");
            _output.Write(PlayDiagram.Render(definition, snapshot.ActiveSteps.ToHashSet(StringComparer.Ordinal), history));
            _output.WriteLine($"('diagram {id}' prints the Mermaid diagram with these steps highlighted.)");
        }
    }

    private async ValueTask MermaidAsync(InstanceId id, CancellationToken ct)
    {
        var snapshot = await _engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        if (!_definitions.TryGetValue(snapshot.ProcessId, out var definition))
        {
            _output.WriteLine($"The process {snapshot.ProcessId} is not played here.");
            return;
        }

        _output.WriteLine($"%% {InstanceNoun} {id}: current steps highlighted (paste into a Mermaid viewer)");
        _output.Write(MermaidExporter.Export(definition, new MermaidOptions { HighlightSteps = [.. snapshot.ActiveSteps] }).ReplaceLineEndings(_output.NewLine));
        _output.WriteLine();
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
