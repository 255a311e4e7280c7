using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ProcessKit.Execution;

/// <summary>The slots of an instance seen as a read-only dictionary by field name (for expressions and handlers).</summary>
/// <remarks>Not thread-safe; one per command.</remarks>
internal sealed class SlotView(ProcessModel model, object?[] slots) : IReadOnlyDictionary<string, object?>
{
    public object?[] Slots { get; set; } = slots;

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var value in Slots)
            {
                if (value is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var pair in this)
            {
                yield return pair.Key;
            }
        }
    }

    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var pair in this)
            {
                yield return pair.Value;
            }
        }
    }

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => model.FieldIndex.TryGetValue(key, out var slot) && Slots[slot] is not null;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (model.FieldIndex.TryGetValue(key, out var slot) && Slots[slot] is { } found)
        {
            value = found;
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Slots.Length; i++)
        {
            if (Slots[i] is { } value)
            {
                yield return new(model.FieldNames[i], value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
