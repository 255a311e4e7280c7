namespace ProcessKit.Definitions;

/// <summary>Runs another process as part of this one and waits for it to end.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <param name="ProcessId">The id of the process to run.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record SubProcessStep(string Id, string Name, string ProcessId) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.SubProcess;

    /// <summary>The version to run; <see langword="null"/> (the default) takes the newest deployed one.</summary>
    public int? Version { get; init; }

    /// <summary>How the sub-process's start data is made from this instance's data.</summary>
    public ValueArray<DataMapping> Inputs { get; init; }

    /// <summary>How this instance's data is set from the sub-process's results.</summary>
    public ValueArray<DataMapping> Outputs { get; init; }

    /// <summary>Runs the sub-process once per item of a list. Optional.</summary>
    public MultiInstance? MultiInstance { get; init; }
}
