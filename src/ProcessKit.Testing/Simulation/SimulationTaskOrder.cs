namespace ProcessKit.Testing.Simulation;

/// <summary>Which offered task a free simulated person takes first. Tasks assigned to the person come before tasks offered to the role either way.</summary>
public enum SimulationTaskOrder
{
    /// <summary>The task that has waited longest (first in, first out). The default.</summary>
    OldestFirst,

    /// <summary>The task offered most recently (last in, first out).</summary>
    NewestFirst,
}
