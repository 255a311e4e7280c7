using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>
/// An instance's data in a response: the engine's values as they are, written as a JSON object by
/// <see cref="InstanceDataConverter"/> (fields by ordinal name) without building a JSON document first.
/// </summary>
/// <remarks>Immutable as long as the values are; thread-safe to write.</remarks>
[JsonConverter(typeof(InstanceDataConverter))]
internal sealed class InstanceData(IReadOnlyDictionary<string, object?> values)
{
    /// <summary>The values by field name.</summary>
    public IReadOnlyDictionary<string, object?> Values { get; } = values;
}
