using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using ProcessKit.CrashHost;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql;
using ProcessKit.Sqlite;
using ProcessKit.Tasks;

// The crash test's child process. Usage:
//   CrashHost (--sqlite FILE | --postgres CONNSTRING) [--run TAG] [--start N] [--finish]
//   CrashHost --sqlite FILE --hold
// --hold opens the store, says "ready", and keeps it open until the process is killed (the one-process-per-file test).
// Starts N instances (business keys TAG-1 .. TAG-N), completes open tasks and runs due timers and jobs.
// After every command that succeeded it writes "ack <kind> <instance> <detail>" (one write, flushed).
// With --finish it drives every running instance to its end, prints "summary ..." and exits 0.
string? sqlite = null;
string? postgres = null;
var run = "r";
var toStart = 0;
var finish = false;
var hold = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--sqlite": sqlite = args[++i]; break;
        case "--postgres": postgres = args[++i]; break;
        case "--run": run = args[++i]; break;
        case "--start": toStart = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--finish": finish = true; break;
        case "--hold": hold = true; break;
        default:
            await Console.Error.WriteLineAsync("unknown argument " + args[i]).ConfigureAwait(false);
            return 64;
    }
}

if ((sqlite is null) == (postgres is null))
{
    await Console.Error.WriteLineAsync("give one of --sqlite FILE or --postgres CONNSTRING").ConfigureAwait(false);
    return 64;
}

var output = new AckWriter(Console.OpenStandardOutput());

// A killed node's leases on PostgreSQL are taken over once they expire: keep them short so the next run does not wait long.
IProcessStore store = sqlite is not null
    ? await SqliteProcessStore.OpenAsync(new SqliteStoreOptions { ConnectionString = "Data Source=" + sqlite }).ConfigureAwait(false)
    : await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = postgres!, LeaseDuration = TimeSpan.FromSeconds(2) }).ConfigureAwait(false);

if (hold)
{
    output.Line("ready - - hold");
    await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
}

// How many instances still run, read from the database itself (the engine has no query for it): --finish ends at zero.
const string RunningSql = "SELECT count(*) FROM {0}instances WHERE state = 0";
async Task<long> RunningAsync(CancellationToken ct)
{
    if (sqlite is not null)
    {
        await using var connection = new SqliteConnection("Data Source=" + sqlite + ";Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = string.Format(CultureInfo.InvariantCulture, RunningSql, "");
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    await using var pg = new NpgsqlConnection(postgres);
    await pg.OpenAsync(ct).ConfigureAwait(false);
    await using var query = new NpgsqlCommand(string.Format(CultureInfo.InvariantCulture, RunningSql, "processkit."), pg);
    return Convert.ToInt64(await query.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
}

// A job fails on its first attempt in this process for one instance in four, so retries happen (and, across kills, re-runs).
// Each killed run fails such a job once more, so a job caught by five runs uses up its retries and raises an incident: the
// finishing run injects no failure and retries those incidents, as an operator would.
var attempts = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
var options = new ProcessEngineOptions { Store = store }
    .AddHandler(CrashProcess.Handler, ctx =>
    {
        var attempt = attempts.AddOrUpdate(ctx.IdempotencyKey, 1, static (_, n) => n + 1);
        if (!finish && attempt == 1 && ctx.Instance.Value % 4 == 0)
        {
            throw new InvalidOperationException("transient failure of " + ctx.IdempotencyKey);
        }

        ctx.Set("sentBy", run);
    });
var engine = new ProcessEngine(options);
await engine.DeployAsync(CrashProcess.Build()).ConfigureAwait(false);
output.Line("ready - - " + run);

var clerk = new ProcessUser("clerk-" + run, [CrashProcess.Role]);
using var stop = new CancellationTokenSource();
var counts = new Counts();

var starting = Task.Run(async () =>
{
    var next = 0;
    await Parallel.ForAsync(0, Math.Max(toStart, 0), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
    {
        var key = run + "-" + Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        var id = await engine.StartAsync(CrashProcess.Id, businessKey: key, cancellationToken: ct).ConfigureAwait(false);
        Interlocked.Increment(ref counts.Started);
        output.Line($"ack start {id} {key}");
    }).ConfigureAwait(false);
});

var completing = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var open = await engine.QueryTasksAsync(new TaskQuery { State = TaskState.Offered }, stop.Token).ConfigureAwait(false);
        if (open.Count == 0)
        {
            await Task.Delay(20, stop.Token).ConfigureAwait(false);
            continue;
        }

        await Parallel.ForEachAsync(open, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stop.Token }, async (task, ct) =>
        {
            await engine.CompleteTaskAsync(task.TaskId, clerk, cancellationToken: ct).ConfigureAwait(false);
            Interlocked.Increment(ref counts.Completed);
            output.Line($"ack complete {task.Instance} {task.TaskId}:{task.StepInstance}:{clerk.Id}");
        }).ConfigureAwait(false);
    }
});

var watch = Stopwatch.StartNew();
var exitCode = 0;
var finishBudget = TimeSpan.FromSeconds(240);
try
{
    while (true)
    {
        var ran = await engine.RunDueAsync(stop.Token).ConfigureAwait(false);
        if (ran > 0)
        {
            counts.Due += ran;
            output.Line($"ack due - {ran}");
        }

        if (starting.IsFaulted || completing.IsFaulted)
        {
            await Task.WhenAll(starting, completing).ConfigureAwait(false);
        }

        if (finish)
        {
            foreach (var incident in await engine.GetIncidentsAsync(cancellationToken: stop.Token).ConfigureAwait(false))
            {
                await engine.RetryIncidentAsync(incident.Instance, incident.StepInstance, stop.Token).ConfigureAwait(false);
            }
        }

        if (finish && starting.IsCompleted && await RunningAsync(stop.Token).ConfigureAwait(false) == 0)
        {
            break;
        }

        // A guard against a hang, not a timing: generous, since a loaded machine (other builds and test runs on the
        // same cores) once took the finishing run past 90 s.
        if (finish && watch.Elapsed > finishBudget)
        {
            var incidents = await engine.GetIncidentsAsync(cancellationToken: stop.Token).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(
                $"finish: {await RunningAsync(stop.Token).ConfigureAwait(false)} instances still running after {finishBudget.TotalSeconds} s; "
                + $"{incidents.Count} open incident(s): {string.Join("; ", incidents.Take(5).Select(static i => $"{i.Instance} step {i.StepId}: {i.Message}"))}").ConfigureAwait(false);
            exitCode = 3;
            break;
        }

        await engine.WaitForWorkAsync(TimeSpan.FromMilliseconds(50), stop.Token).ConfigureAwait(false);
    }
}
finally
{
    await stop.CancelAsync().ConfigureAwait(false);
    try
    {
        await Task.WhenAll(starting, completing).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // The completer ends by cancellation.
    }
}

output.Line(string.Create(CultureInfo.InvariantCulture, $"summary started={counts.Started} completed={counts.Completed} due={counts.Due} seconds={watch.Elapsed.TotalSeconds:F1}"));
if (store is IAsyncDisposable disposable)
{
    await disposable.DisposeAsync().ConfigureAwait(false);
}

return exitCode;

/// <summary>Writes each line to stdout with one write call, flushed before it returns, so a kill never leaves half a line.</summary>
internal sealed class AckWriter(Stream stream)
{
    private readonly Lock _gate = new();

    public void Line(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\n");
        lock (_gate)
        {
            stream.Write(bytes);
            stream.Flush();
        }
    }
}

/// <summary>What this run did.</summary>
internal sealed class Counts
{
    public int Started;
    public int Completed;
    public int Due;
}
