using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>
/// The package's serializer: camelCase names, unknown members in requests refused (so a misspelt field is named in
/// the 400), generated at build time. Durations are ISO 8601 (<c>PT15M</c>) through the converters on the
/// <see cref="TimeSpan"/> members, not in the options: with no converter in the options the generated serialization
/// code (the fast path) writes the responses (the two with durations, characteristics and reports, keep the
/// metadata-driven path: the generator writes no fast path for a type with a member converter).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StartInstanceRequest))]
[JsonSerializable(typeof(CompleteTaskRequest))]
[JsonSerializable(typeof(DelegateTaskRequest))]
[JsonSerializable(typeof(PublishMessageRequest))]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(ProcessSummaryDto[]))]
[JsonSerializable(typeof(ProcessDefinitionDto))]
[JsonSerializable(typeof(TaskDto))]
[JsonSerializable(typeof(TaskPageDto))]
[JsonSerializable(typeof(MessageResultDto))]
[JsonSerializable(typeof(InstanceDto))]
[JsonSerializable(typeof(InstanceListDto))]
[JsonSerializable(typeof(HistoryEventDto[]))]
[JsonSerializable(typeof(CharacteristicsDto))]
[JsonSerializable(typeof(ReportDto))]
internal sealed partial class ProcessKitJsonContext : JsonSerializerContext;
