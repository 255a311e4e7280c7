using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Writes and reads durations as ISO 8601 (<c>PT1H30M</c>), the form process definitions use.</summary>
internal sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return XmlConvert.ToTimeSpan(reader.GetString() ?? string.Empty);
        }
        catch (FormatException e)
        {
            throw new JsonException("A duration must be ISO 8601, such as PT15M.", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        DataJson.WriteDuration(writer, value);
    }
}

/// <summary><see cref="IsoDurationConverter"/> for optional durations.</summary>
internal sealed class NullableIsoDurationConverter : JsonConverter<TimeSpan?>
{
    private static readonly IsoDurationConverter Inner = new();

    public override bool HandleNull => true;

    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(TimeSpan), options);

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } duration)
        {
            Inner.Write(writer, duration, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
