using System.Text.Json;
using ProcessKit.Execution;

namespace ProcessKit.Cli;

/// <summary>A script for <c>processkit run</c>: how to start the instance, the data scripted handlers return, and the actions in order.</summary>
/// <param name="Start">How the instance starts.</param>
/// <param name="Handlers">Handler name → the fields it sets (JSON values), for handlers the script stands in for.</param>
/// <param name="Actions">The actions, in order.</param>
internal sealed record RunScript(ScriptStart Start, IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Handlers, IReadOnlyList<ScriptAction> Actions);

/// <summary>How the instance starts: with data (and a business key), or by a message whose payload is the data.</summary>
internal sealed record ScriptStart(IReadOnlyDictionary<string, object?>? Data, string? BusinessKey, string? Message, string? MessageId);

/// <summary>One action of a script; <paramref name="Pointer"/> is its JSON pointer in the script.</summary>
internal abstract record ScriptAction(string Pointer);

/// <summary>A user with roles acts on the open task of a step.</summary>
internal sealed record TaskAction(string Pointer, string Verb, string Step, ProcessUser User, string? Outcome, IReadOnlyDictionary<string, object?>? Data, string? To) : ScriptAction(Pointer);

/// <summary>A message to the instance.</summary>
internal sealed record PublishAction(string Pointer, string Message, string? Correlation, IReadOnlyDictionary<string, object?>? Payload, string? MessageId) : ScriptAction(Pointer);

/// <summary>Fake time moves on; what falls due fires.</summary>
internal sealed record AdvanceAction(string Pointer, TimeSpan By) : ScriptAction(Pointer);

/// <summary>The instance is cancelled.</summary>
internal sealed record CancelAction(string Pointer, string? Reason) : ScriptAction(Pointer);

/// <summary>What must hold at this point; every part given is checked.</summary>
internal sealed record ExpectAction(
    string Pointer,
    IReadOnlyList<string>? Tasks,
    IReadOnlyList<string>? ActiveSteps,
    InstanceState? State,
    bool HasOutcome,
    string? Outcome,
    IReadOnlyDictionary<string, JsonElement>? Data,
    IReadOnlyList<(string Pointer, History.HistoryEventType Type, string? Step)>? History) : ScriptAction(Pointer);
