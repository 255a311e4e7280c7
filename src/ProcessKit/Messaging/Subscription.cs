using ProcessKit.Execution;

namespace ProcessKit.Messaging;

/// <summary>A step waiting for a message: the instance, the step and its run.</summary>
internal readonly record struct Subscription(string Name, string Key, InstanceId Instance, int Node, int StepInstance);

/// <summary>A message kept because nobody waited for it yet.</summary>
internal sealed record BufferedMessage(string Name, string Key, IReadOnlyDictionary<string, object?>? Payload, string? MessageId, long ExpiresTicks, long Sequence);
