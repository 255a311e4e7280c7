namespace ProcessKit.Execution;

/// <summary>What a token at rest waits for.</summary>
internal enum TokenWait : byte
{
    Task,
    Message,
    Timer,
    Incident,
    Job,
    SubProcess,
}

/// <summary>A path of an instance at rest: the step it waits at and what for.</summary>
/// <param name="Node">The step index.</param>
/// <param name="StepInstance">The run of the step.</param>
/// <param name="Group">For the branches of an event choice: the choice's step instance (the first to finish cancels the rest); 0 otherwise.</param>
/// <param name="Wait">What it waits for.</param>
/// <param name="Ref">The task id for a task, the child instance id for a sub-process, the attempt a job waits for (0 in states written before jobs named it); otherwise 0.</param>
/// <param name="Key">The correlation key of a message wait.</param>
internal readonly record struct Token(int Node, int StepInstance, int Group, TokenWait Wait, long Ref, string? Key = null);
