using ProcessKit.Definitions;

namespace ProcessKit.Testing.Simulation;

/// <summary>What the simulation does at one step: drawn once from the definition and the options.</summary>
internal sealed class StepPlan(StepDefinition step, int index)
{
    public StepDefinition Step { get; } = step;

    /// <summary>The step's position in the definition: part of the key of its random numbers.</summary>
    public int Index { get; } = index;

    /// <summary>A human task's work time.</summary>
    public SimulationDistribution? Work { get; set; }

    /// <summary>A human task's outcomes and their cumulative weights (the last is the total).</summary>
    public string[] Outcomes { get; set; } = [];

    public double[] CumulativeWeights { get; set; } = [];

    /// <summary>The fields given generated values (required ones and the satisfaction field).</summary>
    public DataField[] Generated { get; set; } = [];

    /// <summary>A message wait's message, delay and chance of never coming.</summary>
    public string? Message { get; set; }

    public SimulationDistribution? Delay { get; set; }

    public double NoMessage { get; set; }

    public string? Outcome(double u)
    {
        if (Outcomes.Length == 0)
        {
            return null;
        }

        var target = u * CumulativeWeights[^1];
        for (var i = 0; i < Outcomes.Length; i++)
        {
            if (target < CumulativeWeights[i])
            {
                return Outcomes[i];
            }
        }

        // Only rounding lands here: the last outcome with a weight.
        for (var i = Outcomes.Length - 1; i >= 0; i--)
        {
            if (i == 0 || CumulativeWeights[i] > CumulativeWeights[i - 1])
            {
                return Outcomes[i];
            }
        }

        return Outcomes[^1];
    }
}
