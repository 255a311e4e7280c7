using System.Globalization;

namespace ProcessKit.Execution;

/// <summary>
/// The id of a process instance: a 64-bit number, cheap to make and to compare (no GUID per
/// instance). Ids are unique within one store.
/// </summary>
/// <param name="Value">The number.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public readonly record struct InstanceId(long Value)
{
    /// <summary>Returns the number in invariant culture.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses an id written by <see cref="ToString"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="id">The id, when the text is one.</param>
    /// <returns>Whether the text is an id.</returns>
    public static bool TryParse(string? text, out InstanceId id)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            id = new InstanceId(value);
            return true;
        }

        id = default;
        return false;
    }
}
