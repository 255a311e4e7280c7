using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.MultiNodeHost;

// One node of the multi-node test. Usage:
//   MultiNodeHost --postgres CONNSTRING --node NAME [--lease-ms MS] [--pause-at N] [--start N]
// Runs a generic host (AddProcessKit + UsePostgreSql, the hosting worker, no WithMaxWait) whose job handler records
// every run in a table of its own on a separate connection, before it returns. Writes to stdout (one write per line):
//   "ready NAME" once the host started; "progress N" every 500 handler runs; "pausing INSTANCE STEP KEY" when run N
//   (--pause-at) begins, after which that handler waits for a "continue" line on stdin; "resumed KEY" when it goes on;
//   "lost KIND TOTAL" whenever the store reports a lease this node lost to another node (its late result refused);
//   "started N" once the N instances --start asked for are started (16 at a time);
//   "summary node=NAME runs=R lost=L" after a "stop" line (or the end of stdin) stopped the host. Exit code 0.
string? connectionString = null;
string? nodeName = null;
var lease = TimeSpan.FromSeconds(2);
var pauseAt = -1L;
var toStart = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--postgres": connectionString = args[++i]; break;
        case "--node": nodeName = args[++i]; break;
        case "--lease-ms": lease = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--pause-at": pauseAt = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--start": toStart = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            await Console.Error.WriteLineAsync("unknown argument " + args[i]).ConfigureAwait(false);
            return 64;
    }
}

if (connectionString is null || nodeName is null)
{
    await Console.Error.WriteLineAsync("give --postgres CONNSTRING and --node NAME").ConfigureAwait(false);
    return 64;
}

var output = new LineWriter(Console.OpenStandardOutput());
var runs = 0L;
var lost = 0L;
var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

// The runs table is written outside the engine's transactions. The server keeps what it committed when this process
// is killed, so these inserts need not wait for the server's fsync.
var runsDb = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c synchronous_commit=off" }.ConnectionString);
const string InsertRun = $"""
    INSERT INTO {MultiNodeProcess.RunsTable} (node, instance_id, step, attempt, idempotency_key)
    SELECT @node, @instance, @step, count(*) + 1, @key FROM {MultiNodeProcess.RunsTable} WHERE idempotency_key = @key
    """;

async ValueTask HandleAsync(StepContext ctx)
{
    var run = Interlocked.Increment(ref runs);
    await using (var command = runsDb.CreateCommand(InsertRun))
    {
        command.Parameters.AddWithValue("node", nodeName);
        command.Parameters.AddWithValue("instance", ctx.Instance.Value);
        command.Parameters.AddWithValue("step", ctx.StepId);
        command.Parameters.AddWithValue("key", ctx.IdempotencyKey);
        await command.ExecuteNonQueryAsync(ctx.CancellationToken).ConfigureAwait(false);
    }

    if (run == pauseAt)
    {
        // The test stops this process (SIGSTOP) on this line, inside the handler, while this node holds the job's lease.
        output.Line(string.Create(CultureInfo.InvariantCulture, $"pausing {ctx.Instance.Value} {ctx.StepId} {ctx.IdempotencyKey}"));
        await resume.Task.WaitAsync(ctx.CancellationToken).ConfigureAwait(false);
        output.Line("resumed " + ctx.IdempotencyKey);
    }

    if (run % 500 == 0)
    {
        output.Line(string.Create(CultureInfo.InvariantCulture, $"progress {run}"));
    }
}

using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == "ProcessKit.PostgreSql" && instrument.Name == "processkit.postgresql.leases_lost")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
{
    var kind = "?";
    foreach (var tag in tags)
    {
        if (tag.Key == "kind")
        {
            kind = tag.Value as string ?? "?";
        }
    }

    var total = Interlocked.Add(ref lost, value);
    output.Line(string.Create(CultureInfo.InvariantCulture, $"lost {kind} {total}"));
});
listener.Start();

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Logging.AddProvider(new StandardErrorLoggerProvider(nodeName));
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddProcessKit(pk => pk
    .UsePostgreSql(connectionString, o =>
    {
        o.NodeName = nodeName;
        o.LeaseDuration = lease;
        o.PollingBackoffMax = TimeSpan.FromSeconds(1);
    })
    .AddHandler(MultiNodeProcess.Handler, HandleAsync)
    .AddProcess(MultiNodeProcess.Build()));
using var host = builder.Build();

// stdin: "continue" lets the paused handler go on; "stop" (or stdin closing, as when the test process dies) stops.
var commands = Task.Run(async () =>
{
    while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
    {
        switch (line.Trim())
        {
            case "continue": resume.TrySetResult(); break;
            case "stop": stop.TrySetResult(); break;
        }
    }

    resume.TrySetResult();
    stop.TrySetResult();
});

await host.StartAsync().ConfigureAwait(false);
output.Line("ready " + nodeName);
if (toStart > 0)
{
    var engine = host.Services.GetRequiredService<ProcessEngine>();
    await Parallel.ForAsync(0, toStart, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        await engine.StartAsync(MultiNodeProcess.Id, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
    output.Line(string.Create(CultureInfo.InvariantCulture, $"started {toStart}"));
}

await stop.Task.ConfigureAwait(false);
resume.TrySetResult();
await host.StopAsync().ConfigureAwait(false);
await runsDb.DisposeAsync().ConfigureAwait(false);
output.Line(string.Create(CultureInfo.InvariantCulture, $"summary node={nodeName} runs={Interlocked.Read(ref runs)} lost={Interlocked.Read(ref lost)}"));
return 0;
