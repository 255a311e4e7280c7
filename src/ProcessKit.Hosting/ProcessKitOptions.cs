using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Hosting;

/// <summary>What <see cref="ProcessKitBuilder"/> collected; checked by <see cref="ProcessKitOptionsValidator"/> when the host starts.</summary>
internal sealed class ProcessKitOptions
{
    public List<ProcessSource> Processes { get; } = [];

    public List<HandlerRegistration> Handlers { get; } = [];

    public List<Action<ProcessEngineOptions>> EngineSetup { get; } = [];

    public Func<IServiceProvider, IProcessStore>? StoreFactory { get; set; }

    public TimeSpan? MaxWait { get; set; }

    public bool WorkerDisabled { get; set; }
}

/// <summary>A process given as a definition or as a JSON file.</summary>
internal sealed record ProcessSource(ProcessDefinition? Definition, string? JsonPath);

/// <summary>A handler given as a class resolved from the container or as a delegate; equal registrations count once.</summary>
internal sealed record HandlerRegistration(string Name, Type? HandlerType, Func<StepContext, ValueTask>? Handler);
