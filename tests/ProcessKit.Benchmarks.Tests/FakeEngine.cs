using ProcessKit.Benchmarks.Compare;

namespace ProcessKit.Benchmarks.Tests;

/// <summary>An engine whose instances end at once and check out (or, when told, do not), for the runner and report tests.</summary>
internal sealed class FakeEngine(string name, string? family = null, int? maxCount = null, bool wrong = false) : IEngineUnderTest
{
    private int _drivers;

    public string Name => name;

    public string Family => family ?? name;

    public int? MaxCount => maxCount;

    public string Description => name + ", a stand-in";

    /// <summary>The instance counts the drivers were prepared for, in order (the probe drivers are never prepared).</summary>
    public List<int> Prepared { get; } = [];

    public ScenarioDriver? CreateDriver(Scenario scenario) => scenario == Scenario.HumanTask ? null : new Driver(this, wrong, Interlocked.Increment(ref _drivers));

    private sealed class Driver(FakeEngine engine, bool wrong, int number) : ScenarioDriver
    {
        private int _count;
        private int _done;

        public override int Progress => _done;

        public override Task PrepareAsync(int count, CancellationToken cancellationToken)
        {
            _count = count;
            lock (engine.Prepared)
            {
                engine.Prepared.Add(count);
            }

            return Task.CompletedTask;
        }

        public override Task StartAllAsync(CancellationToken cancellationToken)
        {
            _done = _count;
            return Task.CompletedTask;
        }

        public override Task ResumeAllAsync(CancellationToken cancellationToken)
        {
            _done = _count;
            return Task.CompletedTask;
        }

        public override Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(wrong ? [$"driver {number}: instance 0 took the wrong branch"] : []);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
