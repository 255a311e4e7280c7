using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Scenarios;

namespace ProcessKit.Tests.Execution;

/// <summary>An engine on fake time and an in-memory store, with the shared helpers to act and look (<see cref="EngineKit"/>).</summary>
internal sealed class EngineTestKit : EngineKit
{
    public static readonly DateTimeOffset Epoch = StartOfTime;

    public EngineTestKit(Action<ProcessEngineOptions>? configure = null)
    {
        var options = new ProcessEngineOptions { TimeProvider = Time, Store = Store };
        configure?.Invoke(options);
        Engine = new ProcessEngine(options);
    }

    public InMemoryProcessStore Store { get; } = new();

    public override ProcessEngine Engine { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ProcessUser User(string id, params string[] roles) => new(id, roles);

    public static IEnumerable<string> Steps(IEnumerable<HistoryEvent> history, HistoryEventType type) =>
        history.Where(e => e.Type == type).Select(static e => e.StepId!);
}
