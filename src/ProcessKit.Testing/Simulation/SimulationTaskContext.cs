using ProcessKit.Tasks;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// A simulated person is about to complete a task: <see cref="SimulationOptions.OnTaskCompleting"/>
/// may change the outcome the simulator drew and the data it generated.
/// </summary>
/// <remarks>Not thread-safe; valid only during the callback.</remarks>
public sealed class SimulationTaskContext
{
    internal SimulationTaskContext(HumanTaskInfo task, string userId, string? outcome, Dictionary<string, object?> data, IReadOnlyDictionary<string, object?> instanceData, Random random, int arrival)
    {
        Task = task;
        UserId = userId;
        Outcome = outcome;
        Data = data;
        InstanceData = instanceData;
        Random = random;
        Arrival = arrival;
    }

    /// <summary>The task, as it stood when the person claimed it.</summary>
    public HumanTaskInfo Task { get; }

    /// <summary>The simulated person completing it (for example <c>cook-2</c>).</summary>
    public string UserId { get; }

    /// <summary>The instance's arrival number, from 0: the same guest or lead across runs with the same seed.</summary>
    public int Arrival { get; }

    /// <summary>The outcome to complete with, drawn from <see cref="SimulationOptions.OutcomeWeights"/> (equal weights by default); <see langword="null"/> for a task without outcomes. Settable.</summary>
    public string? Outcome { get; set; }

    /// <summary>The data to complete with: generated values for the fields the step requires (and its satisfaction field), to change, add to or remove from.</summary>
    public IDictionary<string, object?> Data { get; }

    /// <summary>The instance's data when the work ends.</summary>
    public IReadOnlyDictionary<string, object?> InstanceData { get; }

    /// <summary>Random numbers seeded from the simulation's seed, the instance and the task: the same in every run with the same seed.</summary>
    public Random Random { get; }
}
