namespace ProcessKit.AspNetCore.Contracts;

/// <summary>A human task as the inbox shows it: where it stands, when it is due, its outcomes and the fields it writes.</summary>
internal sealed record TaskDto(
    long Id,
    long Instance,
    string ProcessId,
    int ProcessVersion,
    string StepId,
    string StepName,
    string Role,
    string State,
    string? AssignedTo,
    string? ClaimedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    string[] Outcomes,
    FieldDto[] Fields,
    string[] Reads);

/// <summary>One page of the user's tasks, overdue and earliest due first, with the engine's clock reading they were judged at.</summary>
internal sealed record TaskPageDto(TaskDto[] Items, int Page, int PageSize, int Total, bool HasMore, DateTimeOffset AsOf);

/// <summary>What became of a published message: Delivered, Started, Buffered or Duplicate.</summary>
internal sealed record MessageResultDto(string Outcome);
