using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;

namespace ProcessKit.AspNetCore.Throughput;

/// <summary>
/// Runs the cases: for each user count, the engine called directly and then the same loop through the
/// HTTP endpoints, each on a new host and SQLite file. Each user loops: list my tasks (the first page of
/// one), start an instance when the list is empty, else complete the task with an outcome and a note.
/// After each case every started instance's history is read back: each task completed once, as often as
/// the loop counted, with no error answered. Timings are only reported, never checked.
/// </summary>
internal static class HttpBench
{
    public const string EngineMode = "engine";
    public const string HttpMode = "http";

    private const string UserPrefix = "user";
    private static readonly byte[] CompleteBody = Encoding.UTF8.GetBytes("""{"outcome":"done","data":{"note":"checked"}}""");
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<IReadOnlyList<CaseResult>> RunAsync(HttpBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        log.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Complete a task (outcome + note), SQLite synchronous=FULL, Kestrel on loopback; {options.Seconds} s measured after {options.Warmup} s warm-up per case; {Environment.ProcessorCount} cores; load average {LoadAverage()}"));
        var results = new List<CaseResult>();
        foreach (var users in options.Users)
        {
            foreach (var mode in options.Modes)
            {
                var host = await BenchHost.StartAsync(cancellationToken).ConfigureAwait(false);
                await using (host.ConfigureAwait(false))
                {
                    var result = await RunCaseAsync(host, mode, users, options, cancellationToken).ConfigureAwait(false);
                    results.Add(result);
                    log.WriteLine(Line(result));
                    foreach (var problem in result.Problems)
                    {
                        log.WriteLine("    problem: " + problem);
                    }
                }
            }

            if (results.FirstOrDefault(r => r.Users == users && r.Mode == EngineMode) is { Completions: > 0 } direct
                && results.FirstOrDefault(r => r.Users == users && r.Mode == HttpMode) is { Completions: > 0 } http)
            {
                log.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {users,3} users, HTTP / engine: rate {http.CompletionsPerSecond / direct.CompletionsPerSecond:N2}x, p50 {http.P50Ms / direct.P50Ms:N2}x, p99 {http.P99Ms / direct.P99Ms:N2}x, CPU per completion {http.CpuMicrosecondsPerCompletion / direct.CpuMicrosecondsPerCompletion:N2}x, allocated {http.AllocatedKilobytesPerCompletion / direct.AllocatedKilobytesPerCompletion:N2}x"));
            }
        }

        log.WriteLine($"load average at the end {LoadAverage()}");
        if (options.Json is { } path)
        {
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, results, JsonOptions, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Line(CaseResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"{r.Mode,-6} {r.Users,3} users: complete {r.CompletionsPerSecond,8:N0}/s  p50 {r.P50Ms,7:N2} ms  p90 {r.P90Ms,7:N2} ms  p99 {r.P99Ms,7:N2} ms  max {r.MaxMs,7:N2} ms | list p50 {r.ListP50Ms:N2} ms, p99 {r.ListP99Ms:N2} ms | CPU {r.CpuMicrosecondsPerCompletion:N0} µs, allocated {r.AllocatedKilobytesPerCompletion:N1} KB per completion | {r.Completions} in {r.WindowSeconds:N1} s, {r.Instances} instances, {r.Errors} errors | load {r.LoadAverage}");

    private static async Task<CaseResult> RunCaseAsync(BenchHost host, string mode, int users, HttpBenchOptions options, CancellationToken cancellationToken)
    {
        var recorders = new Recorder[users];
        var clock = Stopwatch.StartNew();
        var warmUntil = TimeSpan.FromSeconds(options.Warmup);
        var until = warmUntil + TimeSpan.FromSeconds(options.Seconds);
        TimeSpan cpuAtWarm = default;
        long allocatedAtWarm = 0;
        var sampler = Task.Run(
            async () =>
            {
                await Task.Delay(warmUntil, cancellationToken).ConfigureAwait(false);
                cpuAtWarm = Environment.CpuUsage.TotalTime;
                allocatedAtWarm = GC.GetTotalAllocatedBytes();
            },
            cancellationToken);
        var loops = new Task[users];
        for (var u = 0; u < users; u++)
        {
            var recorder = recorders[u] = new Recorder(UserPrefix + u.ToString(CultureInfo.InvariantCulture), clock, warmUntil, until);
            loops[u] = Task.Run(
                () => mode == HttpMode ? HttpLoopAsync(host, recorder, cancellationToken) : EngineLoopAsync(host.Engine, recorder, cancellationToken),
                cancellationToken);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var cpu = Environment.CpuUsage.TotalTime - cpuAtWarm;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedAtWarm;
        var window = clock.Elapsed - warmUntil;
        var load = LoadAverage();

        var complete = recorders.SelectMany(static r => r.Complete).ToArray();
        var list = recorders.SelectMany(static r => r.List).ToArray();
        Array.Sort(complete);
        Array.Sort(list);
        var problems = recorders.SelectMany(static r => r.Problems).Take(10).ToList();
        problems.AddRange(await CheckAsync(host.Engine, recorders, cancellationToken).ConfigureAwait(false));
        return new CaseResult(
            mode,
            users,
            window.TotalSeconds,
            complete.Length,
            complete.Length / window.TotalSeconds,
            At(complete, 0.50),
            At(complete, 0.90),
            At(complete, 0.99),
            complete.Length == 0 ? double.NaN : complete[^1],
            At(list, 0.50),
            At(list, 0.99),
            complete.Length == 0 ? double.NaN : cpu.TotalMicroseconds / complete.Length,
            complete.Length == 0 ? double.NaN : allocated / 1024.0 / complete.Length,
            recorders.Sum(static r => r.Total),
            recorders.Sum(static r => r.Instances.Count),
            recorders.Sum(static r => r.Errors),
            problems,
            load);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double At(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>Every completion the loops counted is in the histories once, and no task was completed twice.</summary>
    private static async Task<List<string>> CheckAsync(ProcessEngine engine, Recorder[] recorders, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var counted = recorders.Sum(static r => r.Total);
        var distinct = recorders.SelectMany(static r => r.TaskIds).Distinct().Count();
        if (distinct != counted)
        {
            problems.Add($"{counted} completions answered, but of {distinct} distinct tasks.");
        }

        long stored = 0;
        foreach (var instance in recorders.SelectMany(static r => r.Instances))
        {
            var history = await engine.GetHistoryAsync(new InstanceId(instance), cancellationToken).ConfigureAwait(false);
            var first = history.Count(static e => e.Type == HistoryEventType.StepCompleted && e.StepId == "first");
            var second = history.Count(static e => e.Type == HistoryEventType.StepCompleted && e.StepId == "second");
            if (first > 1 || second > 1 || (second == 1 && first == 0))
            {
                problems.Add($"The instance {instance} completed its first task {first} times and its second {second} times.");
            }

            stored += first + second;
        }

        if (stored != counted)
        {
            problems.Add($"{counted} completions answered, {stored} in the histories of the {recorders.Sum(static r => r.Instances.Count)} instances started.");
        }

        return problems;
    }

    private static async Task HttpLoopAsync(BenchHost host, Recorder recorder, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { BaseAddress = host.Address };
        client.DefaultRequestHeaders.Add(HeaderSignIn.UserHeader, recorder.UserId);
        client.DefaultRequestHeaders.Add(HeaderSignIn.RolesHeader, BenchHost.Role);
        var listPath = new Uri(BenchHost.Prefix + "/tasks?pageSize=1", UriKind.Relative);
        var startPath = new Uri(BenchHost.Prefix + "/processes/" + BenchHost.ProcessId + "/instances", UriKind.Relative);
        var startBody = Encoding.UTF8.GetBytes($$$"""{"data":{"assignee":"{{{recorder.UserId}}}"}}""");
        while (recorder.KeepGoing())
        {
            var listed = Stopwatch.GetTimestamp();
            using var list = await client.GetAsync(listPath, cancellationToken).ConfigureAwait(false);
            var listBody = await list.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!recorder.Ok(list, listBody, HttpStatusCode.OK, "list"))
            {
                continue;
            }

            recorder.Listed(listed);
            var taskId = FirstTaskId(listBody);
            if (taskId is null)
            {
                using var start = await client.PostAsync(startPath, Json(startBody), cancellationToken).ConfigureAwait(false);
                var started = await start.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (recorder.Ok(start, started, HttpStatusCode.Created, "start"))
                {
                    recorder.Instances.Add(Long(started, "id"));
                }

                continue;
            }

            var begun = Stopwatch.GetTimestamp();
            using var complete = await client.PostAsync(new Uri($"{BenchHost.Prefix}/tasks/{taskId.Value.ToString(CultureInfo.InvariantCulture)}/complete", UriKind.Relative), Json(CompleteBody), cancellationToken).ConfigureAwait(false);
            var completed = await complete.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!recorder.Ok(complete, completed, HttpStatusCode.OK, "complete"))
            {
                continue;
            }

            using (var document = JsonDocument.Parse(completed))
            {
                var root = document.RootElement;
                if (root.GetProperty("id").GetInt64() != taskId.Value || root.GetProperty("state").GetString() != nameof(TaskState.Completed))
                {
                    recorder.Fail($"complete of task {taskId.Value} answered {Encoding.UTF8.GetString(completed)}");
                    continue;
                }
            }

            recorder.Completed(taskId.Value, begun);
        }
    }

    private static async Task EngineLoopAsync(ProcessEngine engine, Recorder recorder, CancellationToken cancellationToken)
    {
        var user = new ProcessUser(recorder.UserId, [BenchHost.Role]);
        var query = new TaskQuery { AvailableTo = user };
        var startData = new Dictionary<string, object?> { ["assignee"] = recorder.UserId };
        var data = new Dictionary<string, object?> { ["note"] = "checked" };
        while (recorder.KeepGoing())
        {
            try
            {
                var listed = Stopwatch.GetTimestamp();
                var tasks = await engine.QueryTasksAsync(query, cancellationToken).ConfigureAwait(false);
                recorder.Listed(listed);
                if (tasks.Count == 0)
                {
                    recorder.Instances.Add((await engine.StartAsync(BenchHost.ProcessId, startData, cancellationToken: cancellationToken).ConfigureAwait(false)).Value);
                    continue;
                }

                var taskId = tasks[0].TaskId;
                var begun = Stopwatch.GetTimestamp();
                await engine.CompleteTaskAsync(taskId, user, "done", data, cancellationToken).ConfigureAwait(false);
                recorder.Completed(taskId, begun);
            }
            catch (ProcessKitException e)
            {
                recorder.Fail($"{e.ErrorCode}: {e.Message}");
            }
        }
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static long? FirstTaskId(byte[] page)
    {
        using var document = JsonDocument.Parse(page);
        var items = document.RootElement.GetProperty("items");
        return items.GetArrayLength() == 0 ? null : items[0].GetProperty("id").GetInt64();
    }

    private static long Long(byte[] body, string property)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty(property).GetInt64();
    }

    /// <summary>One user's samples and counts; used by that user's loop only, read after it ends.</summary>
    private sealed class Recorder(string userId, Stopwatch clock, TimeSpan warmUntil, TimeSpan until)
    {
        private const int MaxErrors = 50;

        public string UserId { get; } = userId;

        public List<double> Complete { get; } = new(8192);

        public List<double> List { get; } = new(8192);

        public List<long> TaskIds { get; } = new(8192);

        public List<long> Instances { get; } = new(4096);

        public List<string> Problems { get; } = [];

        public long Total { get; private set; }

        public long Errors { get; private set; }

        /// <summary>Until the end of the window, and on past it (for a minute at most) until this user has one measured completion.</summary>
        public bool KeepGoing()
        {
            var now = clock.Elapsed;
            return Errors < MaxErrors && (now < until || (Complete.Count == 0 && now < until + TimeSpan.FromMinutes(1)));
        }

        public void Listed(long begun)
        {
            if (clock.Elapsed >= warmUntil)
            {
                List.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
            }
        }

        public void Completed(long taskId, long begun)
        {
            var elapsed = Stopwatch.GetElapsedTime(begun);
            Total++;
            TaskIds.Add(taskId);
            if (clock.Elapsed - elapsed >= warmUntil)
            {
                Complete.Add(elapsed.TotalMilliseconds);
            }
        }

        public bool Ok(HttpResponseMessage response, byte[] body, HttpStatusCode expected, string what)
        {
            if (response.StatusCode == expected)
            {
                return true;
            }

            Fail($"{what} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300))}");
            return false;
        }

        public void Fail(string problem)
        {
            Errors++;
            if (Problems.Count < 5)
            {
                Problems.Add($"{UserId}: {problem}");
            }
        }
    }
}
