namespace ProcessKit.Benchmarks.Compare;

/// <summary>An engine the comparison runs: one driver per scenario.</summary>
internal interface IEngineUnderTest
{
    /// <summary>The engine's name as the table shows it (its column).</summary>
    string Name { get; }

    /// <summary>The engine <c>--engine</c> names it by: the same for the columns of one engine on different stores.</summary>
    string Family => Name;

    /// <summary>The largest N this column runs, or <c>null</c> for no limit; lines above it show "capped" and no figure.</summary>
    int? MaxCount => null;

    /// <summary>The package and version measured, or why the engine cannot run yet.</summary>
    string Description { get; }

    /// <summary>A fresh driver for <paramref name="scenario"/>, or <c>null</c> when this engine cannot run it.</summary>
    ScenarioDriver? CreateDriver(Scenario scenario);

    /// <summary>Why <see cref="CreateDriver"/> has no driver for <paramref name="scenario"/>.</summary>
    string NotAvailableReason(Scenario scenario) => Description;
}
