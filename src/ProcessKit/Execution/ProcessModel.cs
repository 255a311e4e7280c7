using System.Collections.Frozen;
using ProcessKit.Definitions;

namespace ProcessKit.Execution;

/// <summary>
/// A process definition compiled once for execution: nodes in an array addressed by index, flows
/// resolved to indexes, expressions compiled, a slot per declared field, join in-degrees and
/// handlers looked up.
/// </summary>
/// <remarks>Immutable after compilation and shared by every instance of its version; thread-safe.</remarks>
internal sealed class ProcessModel
{
    public required ProcessDefinition Definition { get; init; }

    public string Id => Definition.Id;

    public int Version => Definition.Version;

    public required ModelNode[] Nodes { get; init; }

    public required int StartNode { get; init; }

    public required FrozenDictionary<string, int> NodeIndex { get; init; }

    public required FrozenDictionary<string, int> FieldIndex { get; init; }

    public required string[] FieldNames { get; init; }

    public required DataType[] FieldTypes { get; init; }

    /// <summary>The supplier inputs, one per name.</summary>
    public required DataField[] Inputs { get; init; }

    public required int SatisfactionSlot { get; init; }

    public required string[] RoleIds { get; init; }

    public required decimal[] RoleRates { get; init; }

    public required FrozenDictionary<string, int> RoleIndex { get; init; }

    public required ModelSpan[] Spans { get; init; }

    /// <summary>The message names that start instances of this process.</summary>
    public required string[] MessageTriggers { get; init; }

    /// <summary>The history capacity a new instance starts with, sized from the graph.</summary>
    public int HistoryCapacity => (Nodes.Length * 2) + 4;

    public bool HasJoins { get; init; }
}
