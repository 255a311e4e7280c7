using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace ProcessKit.Definitions;

/// <summary>
/// An immutable list with value equality: two arrays are equal when they hold equal items in the
/// same order. Definitions use it for every collection so that two definitions describing the same
/// process compare equal (for example a definition and the one read back from its JSON).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// The default value is an empty array. Instances are immutable and safe to share between threads.
/// Create one with a collection expression (<c>[a, b]</c>) or <see cref="ValueArray.Create{T}(ReadOnlySpan{T})"/>.
/// </remarks>
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.Create))]
public readonly struct ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    private readonly ImmutableArray<T> _items;

    /// <summary>Creates an array holding <paramref name="items"/>.</summary>
    /// <param name="items">The items, copied.</param>
    public ValueArray(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    internal ValueArray(ImmutableArray<T> items) => _items = items;

    /// <summary>An empty array.</summary>
    public static ValueArray<T> Empty => default;

    /// <summary>The number of items.</summary>
    public int Count => _items.IsDefault ? 0 : _items.Length;

    /// <summary>Whether the array holds no item.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>The item at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based index.</param>
    public T this[int index] => _items.IsDefault ? throw new ArgumentOutOfRangeException(nameof(index)) : _items[index];

    /// <summary>The items as an <see cref="ImmutableArray{T}"/>.</summary>
    public ImmutableArray<T> AsImmutableArray() => _items.IsDefault ? [] : _items;

    /// <summary>Returns an enumerator over the items.</summary>
    public ImmutableArray<T>.Enumerator GetEnumerator() => AsImmutableArray().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)AsImmutableArray()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)AsImmutableArray()).GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueArray<T> other)
    {
        var count = Count;
        if (count != other.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < count; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsImmutableArray())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", AsImmutableArray())}]";

    /// <summary>Compares two arrays item by item.</summary>
    public static bool operator ==(ValueArray<T> left, ValueArray<T> right) => left.Equals(right);

    /// <summary>Compares two arrays item by item.</summary>
    public static bool operator !=(ValueArray<T> left, ValueArray<T> right) => !left.Equals(right);

    /// <summary>Wraps an immutable array without copying.</summary>
    public static implicit operator ValueArray<T>(ImmutableArray<T> items) => new(items);
}
