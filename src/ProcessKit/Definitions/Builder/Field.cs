namespace ProcessKit.Definitions;

/// <summary>
/// Creates the <see cref="DataField"/> declarations the builder takes (inputs, outputs, the fields a
/// step writes), one method per <see cref="DataType"/>: <c>Field.Number("rating", required: true, minimum: 1, maximum: 5)</c>.
/// </summary>
/// <remarks>Stateless and thread-safe. Names are checked when the definition is built.</remarks>
public static class Field
{
    /// <summary>A text field.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField String(string name, bool required = false, string? description = null) =>
        Create(name, DataType.String, required, description);

    /// <summary>A number field (integer or decimal), optionally bounded.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="minimum">The smallest allowed value. Default none.</param>
    /// <param name="maximum">The largest allowed value. Default none.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField Number(string name, bool required = false, decimal? minimum = null, decimal? maximum = null, string? description = null) =>
        Create(name, DataType.Number, required, description) with { Minimum = minimum, Maximum = maximum };

    /// <summary>A true-or-false field.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField Boolean(string name, bool required = false, string? description = null) =>
        Create(name, DataType.Boolean, required, description);

    /// <summary>A point-in-time field (with an offset).</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField DateTime(string name, bool required = false, string? description = null) =>
        Create(name, DataType.DateTime, required, description);

    /// <summary>A length-of-time field.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField Duration(string name, bool required = false, string? description = null) =>
        Create(name, DataType.Duration, required, description);

    /// <summary>A JSON object field.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField Object(string name, bool required = false, string? description = null) =>
        Create(name, DataType.Object, required, description);

    /// <summary>A JSON array field.</summary>
    /// <param name="name">The field name, used in expressions.</param>
    /// <param name="required">Whether a value must be present. Default <see langword="false"/>.</param>
    /// <param name="description">What the field means, for people. Optional.</param>
    /// <returns>The field.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static DataField List(string name, bool required = false, string? description = null) =>
        Create(name, DataType.List, required, description);

    private static DataField Create(string name, DataType type, bool required, string? description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (description is not null && string.IsNullOrWhiteSpace(description))
        {
            throw new ArgumentException("The description is empty or white space; leave it out instead.", nameof(description));
        }

        return new DataField(name, type) { Required = required, Description = description };
    }
}
