namespace ProcessKit.AspNetCore.Contracts;

/// <summary>A deployed process: its newest version's names and every version deployed.</summary>
internal sealed record ProcessSummaryDto(string Id, string Name, string? Description, string? Category, int NewestVersion, int[] Versions);

/// <summary>One version of a process: what it is, who takes part, what it needs to start and its steps.</summary>
internal sealed record ProcessDefinitionDto(
    string Id,
    int Version,
    string Name,
    string? Description,
    string? Category,
    string? Goal,
    string? OwnerRole,
    RoleDto[] Roles,
    FieldDto[] Inputs,
    StepDto[] Steps,
    int[] Versions);

/// <summary>A role of a process.</summary>
internal sealed record RoleDto(string Id, string Name, string? Description);

/// <summary>A data field: a start input or a field a task writes.</summary>
internal sealed record FieldDto(string Name, string Type, bool Required, string? Description, decimal? Minimum, decimal? Maximum);

/// <summary>A step of a process.</summary>
internal sealed record StepDto(string Id, string Name, string Kind, string? Role, string? Description);
