namespace ProcessKit.Benchmarks.Compare;

/// <summary>How one engine's phase ended.</summary>
internal enum Outcome
{
    /// <summary>Ran, and every instance checked out.</summary>
    Measured,

    /// <summary>The engine cannot run this scenario (yet).</summary>
    NotAvailable,

    /// <summary>The phase took longer than the time limit.</summary>
    TimedOut,

    /// <summary>Not run because an earlier phase of the same run timed out or failed.</summary>
    NotRun,

    /// <summary>The engine threw, or an instance did not do what its steps should have done.</summary>
    Failed,

    /// <summary>Not run: N is above the largest this column runs (<see cref="IEngineUnderTest.MaxCount"/>); no figure is estimated.</summary>
    Capped,
}

/// <summary>One engine's figures for one phase of one scenario.</summary>
/// <param name="Outcome">How the phase ended; figures are present only when <see cref="Outcome.Measured"/>.</param>
/// <param name="InstancesPerSecond">Instances through the phase per second of wall-clock time.</param>
/// <param name="BytesPerInstance">Bytes allocated per instance during the phase (every thread), or for the memory scenario the managed heap kept per parked instance after a full GC.</param>
/// <param name="Seconds">The phase's wall-clock time.</param>
/// <param name="Note">Why there is no figure, or the problems found.</param>
internal sealed record EngineFigure(Outcome Outcome, double? InstancesPerSecond, double? BytesPerInstance, double? Seconds, string? Note)
{
    /// <summary>Methods the JIT compiled (any thread) during the phase: near zero once the warm-up has reached steady code.</summary>
    public long? MethodsCompiled { get; init; }

    /// <summary>The garbage collections that ran during the phase, by generation.</summary>
    public GcCounts? Collections { get; init; }

    /// <summary>The machine's state during the run (<see cref="MachineProbe"/>: the mean of readings just before and just after it); <c>null</c> when not measured.</summary>
    public MachineReading? Machine { get; init; }

    /// <summary>Every run the figure is the median of: its rate and the machine's state during it, in the order they ran; <c>null</c> before the median is taken.</summary>
    public IReadOnlyList<RunReading>? EachRun { get; init; }

    /// <summary>How many runs of the line the figure is the median of (<c>--repeat</c>, and more while the runs are shorter than <c>--min-time</c>); <c>null</c> before the median is taken.</summary>
    public int? Runs { get; init; }

    /// <summary>A column not run at <paramref name="n"/> because N is above <paramref name="maxCount"/>.</summary>
    public static EngineFigure Capped(int n, int maxCount) =>
        new(Outcome.Capped, null, null, null, $"run at N ≤ {maxCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} only, not at {n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}; no figure is estimated");

    /// <summary>An engine that cannot run the scenario.</summary>
    public static EngineFigure NotAvailable(string note) => new(Outcome.NotAvailable, null, null, null, note);
}

/// <summary>One run of a line: its rate (null for the memory scenario) and the machine's state during it.</summary>
/// <param name="InstancesPerSecond">The run's rate.</param>
/// <param name="Machine">The machine's state during the run (<see cref="MachineProbe"/>).</param>
internal readonly record struct RunReading(double? InstancesPerSecond, MachineReading? Machine);

/// <summary>One line of the table: a phase of a scenario at one N, with every engine's figures.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Phase">The phase: the scenario's name, or "wait: park" / "wait: resume", or "memory: kept".</param>
/// <param name="N">The number of instances.</param>
/// <param name="BytesMeasure">"allocated" (per instance during the phase) or "kept" (heap per parked instance).</param>
/// <param name="Engines">Figures by engine name, in the table's column order.</param>
internal sealed record ResultRow(Scenario Scenario, string Phase, int N, string BytesMeasure, IReadOnlyDictionary<string, EngineFigure> Engines);
