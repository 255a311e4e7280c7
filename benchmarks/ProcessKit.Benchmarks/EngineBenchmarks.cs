using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Benchmarks;

/// <summary>
/// The engine's hot paths (issue 3), one process instance per operation: each invocation runs
/// <see cref="Batch"/> instances through the path on a fresh engine and in-memory store made by the
/// (untimed) iteration setup, and <c>OperationsPerInvoke</c> divides by the batch, so the time and
/// the allocated bytes BenchmarkDotNet reports are per instance. Each benchmark checks its own result
/// (the last instance's state, the number of timers fired, every message delivered) and throws when
/// it is wrong, so a fast wrong engine fails instead of giving a figure.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    /// <summary>Instances per invocation.</summary>
    public const int Batch = 2_000;

    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ProcessUser Clerk = new("ann", ["clerk"]);

    private readonly Dictionary<string, object?>[] _startData = new Dictionary<string, object?>[Batch];
    private readonly Dictionary<string, object?>[] _decisionData = new Dictionary<string, object?>[Batch];
    private readonly Dictionary<string, object?>[] _waitData = new Dictionary<string, object?>[Batch];
    private readonly ProcessMessage[] _messages = new ProcessMessage[Batch];
    private readonly InstanceId[] _ids = new InstanceId[Batch];
    private FakeTimeProvider _time = null!;
    private ProcessEngine _engine = null!;

    /// <summary>Makes the inputs once: start data and messages are the caller's, not the engine's, allocations.</summary>
    [GlobalSetup]
    public void GlobalSetup()
    {
        for (var i = 0; i < Batch; i++)
        {
            _startData[i] = new Dictionary<string, object?> { ["index"] = i };
            _decisionData[i] = new Dictionary<string, object?> { ["index"] = i, ["amount"] = i % 2 == 0 ? 150 : 50 };
            var key = "order-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _waitData[i] = new Dictionary<string, object?> { ["index"] = i, ["key"] = key };
            _messages[i] = new ProcessMessage("payment-received") { CorrelationKey = key, Payload = new Dictionary<string, object?> { ["payload"] = i } };
        }
    }

    /// <summary>A fresh engine (fake clock, in-memory store, every definition deployed) before each iteration.</summary>
    [IterationSetup(Targets = [nameof(Sequential), nameof(Decision), nameof(Parallel), nameof(HumanTaskRoundTrip), nameof(HumanTaskRoundTripById), nameof(MessagePark)])]
    public void FreshEngine()
    {
        _time = new FakeTimeProvider(Epoch);
        var options = new ProcessEngineOptions { TimeProvider = _time, Store = new InMemoryProcessStore() };
        for (var k = 1; k <= 5; k++)
        {
            var field = "f" + k;
            options.AddHandler("bench.set" + k, c => c.Set(field, c.Get("index")));
        }

        options.AddHandler("bench.after", static c => c.Set("f2", c.Get("payload")));
        _engine = new ProcessEngine(options);
        foreach (var definition in Definitions.All)
        {
            Deploy(definition);
        }
    }

    /// <summary>A fresh engine with <see cref="Batch"/> instances parked on their message wait.</summary>
    [IterationSetup(Target = nameof(MessageResume))]
    public void ParkedOnMessages()
    {
        FreshEngine();
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = Wait(_engine.StartAsync("bench.wait", _waitData[i]));
        }
    }

    /// <summary>A fresh engine with <see cref="Batch"/> instances parked on a one-minute timer.</summary>
    [IterationSetup(Target = nameof(TimerFire))]
    public void ParkedOnTimers()
    {
        FreshEngine();
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = Wait(_engine.StartAsync("bench.timer", _startData[i]));
        }
    }

    /// <summary>Start → end of five automated steps, each a handler setting a field.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "5 automated steps, start → end")]
    public async Task Sequential()
    {
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = await _engine.StartAsync("bench.sequential", _startData[i]).ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>A step, an exclusive decision on an amount, one of two branch steps, an end.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "decision, start → end")]
    public async Task Decision()
    {
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = await _engine.StartAsync("bench.decision", _decisionData[i]).ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>A step, a split into three automated branches, the join, a step, an end.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "parallel split 3 + join, start → end")]
    public async Task Parallel()
    {
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = await _engine.StartAsync("bench.parallel", _startData[i]).ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>Start, the task opens (found by the instance's open-task query), claim, complete, end.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "human task round trip")]
    public async Task HumanTaskRoundTrip()
    {
        for (var i = 0; i < Batch; i++)
        {
            var id = await _engine.StartAsync("bench.task", _startData[i]).ConfigureAwait(false);
            _ids[i] = id;
            var tasks = await _engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }).ConfigureAwait(false);
            var task = tasks[0].TaskId;
            await _engine.ClaimTaskAsync(task, Clerk).ConfigureAwait(false);
            await _engine.CompleteTaskAsync(task, Clerk, "approve").ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>
    /// The same round trip without the inbox query: the in-memory store numbers tasks 1, 2, ... and
    /// the engine is fresh, so instance <c>i</c>'s task is <c>i + 1</c>, read back with
    /// <c>GetTaskAsync</c> and checked to be the instance's open task. This isolates the engine's own
    /// cost from <c>QueryTasksAsync</c>, which scans every task of the store.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "human task round trip, task by id")]
    public async Task HumanTaskRoundTripById()
    {
        for (var i = 0; i < Batch; i++)
        {
            var id = await _engine.StartAsync("bench.task", _startData[i]).ConfigureAwait(false);
            _ids[i] = id;
            var task = await _engine.GetTaskAsync(i + 1).ConfigureAwait(false);
            if (task.Instance != id || !task.IsOpen)
            {
                throw new InvalidOperationException($"Task {i + 1} is not the open task of instance {id}.");
            }

            await _engine.ClaimTaskAsync(task.TaskId, Clerk).ConfigureAwait(false);
            await _engine.CompleteTaskAsync(task.TaskId, Clerk, "approve").ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>Start → a step → parked on a correlated message wait.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "message wait: park")]
    public async Task MessagePark()
    {
        for (var i = 0; i < Batch; i++)
        {
            _ids[i] = await _engine.StartAsync("bench.wait", _waitData[i]).ConfigureAwait(false);
        }

        await ExpectAsync(InstanceState.Running).ConfigureAwait(false);
    }

    /// <summary>A correlated message resumes a parked instance: payload written, a step, the end.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "message wait: resume")]
    public async Task MessageResume()
    {
        for (var i = 0; i < Batch; i++)
        {
            if (await _engine.PublishMessageAsync(_messages[i]).ConfigureAwait(false) != MessageOutcome.Delivered)
            {
                throw new InvalidOperationException($"The message for instance {i} was not delivered.");
            }
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>The fake clock passes the timers' due time and one <c>RunDueAsync</c> fires every one (each instance then ends).</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "timer fire (RunDueAsync)")]
    public async Task TimerFire()
    {
        _time.Advance(TimeSpan.FromMinutes(1));
        var fired = await _engine.RunDueAsync().ConfigureAwait(false);
        if (fired != Batch)
        {
            throw new InvalidOperationException($"{fired} timers fired, not {Batch}.");
        }

        await ExpectAsync(InstanceState.Completed).ConfigureAwait(false);
    }

    /// <summary>After each invocation, every instance of the batch checked: each automated step wrote the instance's number, the decision took the right branch and not the other, the parked instances did nothing after the wait, the message's payload arrived.</summary>
    [IterationCleanup(Targets = [nameof(Sequential), nameof(Parallel)])]
    public void CheckEveryStepWrote() => CheckEvery(static (i, instance) =>
        instance.State == InstanceState.Completed && Enumerable.Range(1, 5).All(k => Number(instance, "f" + k) == i));

    /// <inheritdoc cref="CheckEveryStepWrote"/>
    [IterationCleanup(Target = nameof(Decision))]
    public void CheckEveryBranch() => CheckEvery(static (i, instance) =>
        instance.State == InstanceState.Completed && Number(instance, "f1") == i
        && (i % 2 == 0
            ? Number(instance, "f2") == i && !instance.Data.ContainsKey("f3") && instance.EndOutcome is null or "approved"
            : Number(instance, "f3") == i && !instance.Data.ContainsKey("f2") && instance.EndOutcome is null or "rejected"));

    /// <inheritdoc cref="CheckEveryStepWrote"/>
    [IterationCleanup(Targets = [nameof(HumanTaskRoundTrip), nameof(HumanTaskRoundTripById), nameof(TimerFire)])]
    public void CheckEveryEnded() => CheckEvery(static (_, instance) => instance.State == InstanceState.Completed && instance.ActiveSteps.Count == 0);

    /// <inheritdoc cref="CheckEveryStepWrote"/>
    [IterationCleanup(Target = nameof(MessagePark))]
    public void CheckEveryParked() => CheckEvery(static (i, instance) =>
        instance.State == InstanceState.Running && instance.ActiveSteps is ["wait"] && Number(instance, "f1") == i && !instance.Data.ContainsKey("f2"));

    /// <inheritdoc cref="CheckEveryStepWrote"/>
    [IterationCleanup(Target = nameof(MessageResume))]
    public void CheckEveryResumed() => CheckEvery(static (i, instance) =>
        instance.State == InstanceState.Completed && Number(instance, "f1") == i && Number(instance, "payload") == i && Number(instance, "f2") == i);

    private void CheckEvery(Func<int, InstanceSnapshot, bool> isRight)
    {
        for (var i = 0; i < Batch; i++)
        {
            var instance = Wait(_engine.GetInstanceAsync(_ids[i]));
            if (!isRight(i, instance))
            {
                throw new InvalidOperationException(
                    $"Instance {i} is wrong: {instance.State} at [{string.Join(", ", instance.ActiveSteps)}], ended {instance.EndOutcome ?? "-"}, data {{{string.Join(", ", instance.Data.Select(static p => $"{p.Key}={p.Value}"))}}}.");
            }
        }
    }

    private static int? Number(InstanceSnapshot instance, string field) =>
        instance.Data.TryGetValue(field, out var value) ? value switch { decimal d => (int)d, int n => n, long l => (int)l, double d => (int)d, _ => null } : null;

    private async Task ExpectAsync(InstanceState state)
    {
        var last = await _engine.GetInstanceAsync(_ids[Batch - 1]).ConfigureAwait(false);
        if (last.State != state)
        {
            throw new InvalidOperationException($"The last instance is {last.State}, not {state}.");
        }
    }

    private void Deploy(ProcessDefinition definition) => Wait(_engine.DeployAsync(definition));

    private static T Wait<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("The in-memory engine was expected to complete synchronously.");

    /// <summary>The definitions the suite runs.</summary>
    private static class Definitions
    {
        public static readonly ProcessDefinition[] All = [Sequential(), Decision(), Parallel(), HumanTask(), MessageWait(), Timer()];

        private static ProcessBuilder Create(string id, params DataField[] inputs)
        {
            var p = ProcessBuilder.Create(id, id);
            p.Supplier("s", "S").Inputs([Field.Number("index", required: true), .. inputs]);
            return p;
        }

        private static AutomatedStepHandle Step(ProcessBuilder p, int k, string? handler = null) =>
            p.Automated("step" + k, "Step " + k, handler ?? "bench.set" + k).Writes(Field.Number("f" + k));

        private static ProcessDefinition Sequential()
        {
            var p = Create("bench.sequential");
            var steps = Enumerable.Range(1, 5).Select(k => Step(p, k)).ToArray();
            for (var k = 0; k < 4; k++)
            {
                steps[k].Then(steps[k + 1]);
            }

            steps[4].Then(p.End("done", "Done"));
            return p.Build();
        }

        private static ProcessDefinition Decision()
        {
            var p = Create("bench.decision", Field.Number("amount", required: true));
            var check = Step(p, 1);
            var decide = p.Decision("decide", "Big enough?");
            var approve = Step(p, 2);
            var reject = Step(p, 3);
            check.Then(decide);
            decide.When("amount > 100", approve).Otherwise(reject, PathKind.Alternate);
            approve.Then(p.End("approved", "Approved"));
            reject.Then(p.End("rejected", "Rejected"));
            return p.Build();
        }

        private static ProcessDefinition Parallel()
        {
            var p = Create("bench.parallel");
            var steps = Enumerable.Range(1, 5).Select(k => Step(p, k)).ToArray();
            var split = p.ParallelSplit("fork", "Fork");
            var join = p.ParallelJoin("join", "Join", split);
            steps[0].Then(split);
            split.Branch(steps[1]).Branch(steps[2]).Branch(steps[3]);
            steps[1].Then(join);
            steps[2].Then(join);
            steps[3].Then(join);
            join.Then(steps[4]);
            steps[4].Then(p.End("done", "Done"));
            return p.Build();
        }

        private static ProcessDefinition HumanTask()
        {
            var p = Create("bench.task");
            var clerk = p.Role("clerk", "Clerk");
            var review = p.HumanTask("review", "Review", clerk);
            review.On("approve", p.End("done", "Done"));
            return p.Build();
        }

        private static ProcessDefinition MessageWait()
        {
            var p = Create("bench.wait", Field.String("key", required: true));
            var before = Step(p, 1);
            var wait = p.WaitMessage("wait", "Wait for the payment", "payment-received").CorrelatedBy("key").Writes(Field.Number("payload"));
            var after = Step(p, 2, "bench.after");
            before.Then(wait);
            wait.Then(after);
            after.Then(p.End("done", "Done"));
            return p.Build();
        }

        private static ProcessDefinition Timer()
        {
            var p = Create("bench.timer");
            var wait = p.Timer("wait", "One minute", TimeSpan.FromMinutes(1));
            wait.Then(p.End("done", "Done"));
            return p.Build();
        }
    }
}
