using ProcessKit.Definitions;

namespace ProcessKit.Execution;

public sealed partial class ProcessEngine
{
    /// <summary>Lists every deployed definition, every version of every process, as the store keeps them.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The definitions, in no particular order.</returns>
    /// <remarks>Thread-safe. Reads the store each time; callers that list often may keep the result.</remarks>
    public async ValueTask<IReadOnlyList<ProcessDefinition>> GetDefinitionsAsync(CancellationToken cancellationToken = default) =>
        await Store.ListDefinitionsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a deployed definition.</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="version">The version; <see langword="null"/> (the default) for the newest deployed one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ProcessNotFoundException">No such process or version is deployed (<see cref="ProcessErrorCodes.ProcessNotFound"/>).</exception>
    /// <remarks>Thread-safe.</remarks>
    public ValueTask<ProcessDefinition> GetDefinitionAsync(string processId, int? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        cancellationToken.ThrowIfCancellationRequested();
        return FindModel(processId, version) is { } model
            ? ValueTask.FromResult(model.Definition)
            : ValueTask.FromException<ProcessDefinition>(new ProcessNotFoundException(
                ProcessErrorCodes.ProcessNotFound,
                version is { } v ? $"No version {v} of the process '{processId}' is deployed." : $"No process '{processId}' is deployed."));
    }
}
