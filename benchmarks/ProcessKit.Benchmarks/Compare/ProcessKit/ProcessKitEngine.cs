namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>
/// ProcessKit's column. The engine does not exist yet, so this adapter runs nothing and the table
/// shows <c>n/a</c>: no figure is ever made up for it.
/// </summary>
internal sealed class ProcessKitEngine : IEngineUnderTest
{
    /// <inheritdoc />
    public string Name => "ProcessKit";

    /// <inheritdoc />
    public string Description => "not measured: the ProcessKit engine does not exist yet";

    /// <summary>
    /// The one place the engine plugs in. When ProcessKit's in-memory engine lands, return a driver
    /// per scenario here (a <see cref="ScenarioDriver"/> subclass in this folder that builds the
    /// scenario's definition with the fluent builder, starts N instances, publishes the correlated
    /// events and checks each instance like the peers' drivers do), and change
    /// <see cref="Description"/> to name the engine and its store. Until then every scenario is
    /// reported as not available.
    /// </summary>
    public ScenarioDriver? CreateDriver(Scenario scenario) => null;
}
