using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Writes <see cref="InstanceData"/> as a JSON object through <see cref="DataJson"/>; reads an object back as <see cref="JsonElement"/> values.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal sealed class InstanceDataConverter : JsonConverter<InstanceData>
{
    public override InstanceData Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Instance data must be a JSON object.");
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            values[property.Name] = property.Value;
        }

        return new InstanceData(values);
    }

    public override void Write(Utf8JsonWriter writer, InstanceData value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        DataJson.WriteObject(writer, value.Values, options);
    }
}
