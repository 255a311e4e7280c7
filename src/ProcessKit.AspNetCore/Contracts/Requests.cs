using System.Text.Json;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Starts an instance: the start data (the process's declared inputs) and an optional business key.</summary>
internal sealed record StartInstanceRequest(Dictionary<string, JsonElement>? Data = null, string? BusinessKey = null, string? RequestId = null);

/// <summary>Completes a task with one of its outcomes and values for the fields it writes.</summary>
internal sealed record CompleteTaskRequest(string? Outcome = null, Dictionary<string, JsonElement>? Data = null);

/// <summary>Delegates a task to another user.</summary>
internal sealed record DelegateTaskRequest(string? ToUserId = null);

/// <summary>Publishes a message: its name, how it finds its instance, an id applied once, and a payload.</summary>
internal sealed record PublishMessageRequest(
    string? Name = null,
    string? CorrelationKey = null,
    long? Instance = null,
    string? MessageId = null,
    Dictionary<string, JsonElement>? Payload = null);

/// <summary>Asks for a report over the named instances of one version of a process.</summary>
internal sealed record ReportRequest(long[]? Instances = null, int? Version = null);
