using ProcessKit.Execution;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// A simulated message is about to reach an instance that waits for it:
/// <see cref="SimulationOptions.OnMessage"/> may change its payload.
/// </summary>
/// <remarks>Not thread-safe; valid only during the callback.</remarks>
public sealed class SimulationMessageContext
{
    internal SimulationMessageContext(InstanceId instance, int arrival, string stepId, string message, Dictionary<string, object?> payload, IReadOnlyDictionary<string, object?> instanceData, Random random)
    {
        Instance = instance;
        Arrival = arrival;
        StepId = stepId;
        Message = message;
        Payload = payload;
        InstanceData = instanceData;
        Random = random;
    }

    /// <summary>The instance the message is for.</summary>
    public InstanceId Instance { get; }

    /// <summary>The instance's arrival number, from 0.</summary>
    public int Arrival { get; }

    /// <summary>The message-wait step that receives it.</summary>
    public string StepId { get; }

    /// <summary>The message name.</summary>
    public string Message { get; }

    /// <summary>The payload: generated values for the fields the step requires (and its satisfaction field), to change, add to or remove from.</summary>
    public IDictionary<string, object?> Payload { get; }

    /// <summary>The instance's data when the message arrives.</summary>
    public IReadOnlyDictionary<string, object?> InstanceData { get; }

    /// <summary>Random numbers seeded from the simulation's seed, the instance and the step: the same in every run with the same seed.</summary>
    public Random Random { get; }
}
