using System.Collections;

namespace ProcessKit.Expressions;

/// <summary>
/// The instance data as NCalc's parameter dictionary, read-only. A dotted name (<c>lead.email</c>)
/// reads the field <c>lead</c> and then its members by name. A name with no value reads as null, so
/// that a declared field that is not set yet can be tested with <c>isEmpty</c>.
/// </summary>
/// <remarks>One instance per evaluation; not thread-safe (and never shared).</remarks>
internal sealed class FieldValues(IReadOnlyDictionary<string, object?> fields) : IDictionary<string, object?>
{
    public ICollection<string> Keys => throw ReadOnly();

    public ICollection<object?> Values => throw ReadOnly();

    public int Count => fields.Count;

    public bool IsReadOnly => true;

    public object? this[string key]
    {
        get
        {
            TryGetValue(key, out var value);
            return value;
        }

        set => throw ReadOnly();
    }

    public bool TryGetValue(string key, out object? value)
    {
        value = Read(fields, key);
        return true;
    }

    /// <summary>The value an expression reads for a name: a field, or a member of one (dotted); null when missing.</summary>
    public static object? Read(IReadOnlyDictionary<string, object?> fields, string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return fields.TryGetValue(key, out var found) ? ExpressionValues.Normalize(found) : null;
        }

        object? current = fields.TryGetValue(key[..dot], out var root) ? root : null;
        var rest = key.AsSpan(dot + 1);
        while (current is not null)
        {
            var next = rest.IndexOf('.');
            var segment = next < 0 ? rest : rest[..next];
            current = ExpressionValues.Member(current, segment.ToString());
            if (next < 0)
            {
                break;
            }

            rest = rest[(next + 1)..];
        }

        return ExpressionValues.Normalize(current);
    }

    public bool ContainsKey(string key) => true;

    public void Add(string key, object? value) => throw ReadOnly();

    public void Add(KeyValuePair<string, object?> item) => throw ReadOnly();

    public void Clear() => throw ReadOnly();

    public bool Contains(KeyValuePair<string, object?> item) => throw ReadOnly();

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => throw ReadOnly();

    public bool Remove(string key) => throw ReadOnly();

    public bool Remove(KeyValuePair<string, object?> item) => throw ReadOnly();

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static NotSupportedException ReadOnly() => new("Expressions read the instance data; they never change it.");
}
