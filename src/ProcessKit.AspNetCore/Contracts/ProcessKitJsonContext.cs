using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>
/// The package's serializer: camelCase names, durations as ISO 8601 (<c>PT15M</c>), unknown members in
/// requests refused (so a misspelt field is named in the 400), generated at build time.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = [typeof(IsoDurationConverter), typeof(NullableIsoDurationConverter)])]
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
