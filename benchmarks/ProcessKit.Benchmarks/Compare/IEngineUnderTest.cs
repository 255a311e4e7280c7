namespace ProcessKit.Benchmarks.Compare;

/// <summary>An engine the comparison runs: one driver per scenario.</summary>
internal interface IEngineUnderTest
{
    /// <summary>The engine's name as the table shows it.</summary>
    string Name { get; }

    /// <summary>The package and version measured, or why the engine cannot run yet.</summary>
    string Description { get; }

    /// <summary>A fresh driver for <paramref name="scenario"/>, or <c>null</c> when this engine cannot run it.</summary>
    ScenarioDriver? CreateDriver(Scenario scenario);

    /// <summary>Why <see cref="CreateDriver"/> has no driver for <paramref name="scenario"/>.</summary>
    string NotAvailableReason(Scenario scenario) => Description;
}
