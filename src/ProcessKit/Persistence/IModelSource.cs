using ProcessKit.Execution;

namespace ProcessKit.Persistence;

/// <summary>Compiled models by process id and version, for a store that rebuilds instance records (the engine is one).</summary>
internal interface IModelSource
{
    /// <summary>The model of a process version (the newest when <paramref name="version"/> is null), or null when it is not deployed.</summary>
    ProcessModel? FindModel(string processId, int? version);
}
