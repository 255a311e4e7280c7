namespace ProcessKit.Definitions;

/// <summary>The settings every kind of step has, returning the step's own handle type so that calls chain.</summary>
/// <typeparam name="TSelf">The handle type of the step.</typeparam>
/// <remarks>Not thread-safe, like the builder it belongs to.</remarks>
public abstract class StepHandle<TSelf> : StepHandle
    where TSelf : StepHandle<TSelf>
{
    private protected StepHandle(ProcessBuilder builder, string id, string name)
        : base(builder, id, name)
    {
    }

    /// <summary>Sets what the step is for, for people. Default none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is <see langword="null"/>, empty or white space.</exception>
    public TSelf Description(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        DescriptionText = description;
        return Self;
    }

    /// <summary>Sets the expected work time, used for cost and simulation. Default none.</summary>
    /// <param name="workTime">The expected time; positive (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public TSelf WorkTime(TimeSpan workTime)
    {
        ExpectedWorkTime = workTime;
        return Self;
    }

    /// <summary>Sets a fixed cost each time the step is done (material, fees). Default none.</summary>
    /// <param name="fixedCost">The cost; not negative (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public TSelf FixedCost(decimal fixedCost)
    {
        Cost = fixedCost;
        return Self;
    }

    private protected TSelf Self => (TSelf)this;

    /// <summary>Sets the optional role of a step kind whose role is not required (its lane in diagrams).</summary>
    private protected TSelf SetRole(RoleHandle role, string paramName)
    {
        RoleId = Builder.Own(role, paramName).Id;
        return Self;
    }
}
