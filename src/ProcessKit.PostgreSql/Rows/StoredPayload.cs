using System.Diagnostics.CodeAnalysis;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// The payload of a buffered message read from the store: its values by name, equal to any other payload read for
/// the same stored message (same tenant row). The engine compares buffered messages by value to consume one only once
/// per command, and every read makes new objects, so equality by row is what makes two reads the same message.
/// Immutable and thread-safe.
/// </summary>
internal sealed class StoredPayload(long sequence, Dictionary<string, object?> values) : IReadOnlyDictionary<string, object?>
{
    public long Sequence { get; } = sequence;

    public object? this[string key] => values[key];

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<object?> Values => values.Values;

    public int Count => values.Count;

    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override bool Equals(object? obj) => obj is StoredPayload other && other.Sequence == Sequence;

    public override int GetHashCode() => Sequence.GetHashCode();
}
