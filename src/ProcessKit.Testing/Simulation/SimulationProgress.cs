namespace ProcessKit.Testing.Simulation;

/// <summary>How far a simulation has got, reported to <see cref="SimulationOptions.Progress"/>.</summary>
/// <param name="Total">How many instances the simulation starts in all.</param>
/// <param name="Started">How many have been started so far.</param>
/// <param name="Analysed">How many have been measured after the run (0 while it runs).</param>
/// <remarks>Immutable and thread-safe.</remarks>
public readonly record struct SimulationProgress(int Total, int Started, int Analysed);
