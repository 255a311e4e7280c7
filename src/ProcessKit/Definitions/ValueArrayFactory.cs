using System.Collections.Immutable;

namespace ProcessKit.Definitions;

/// <summary>Creates <see cref="ValueArray{T}"/> instances.</summary>
public static class ValueArray
{
    /// <summary>Creates an array holding a copy of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The new array.</returns>
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => new(ImmutableArray.Create(items));
}
