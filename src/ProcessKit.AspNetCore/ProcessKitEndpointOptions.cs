using System.Security.Claims;

namespace ProcessKit.AspNetCore;

/// <summary>
/// Settings of the endpoints <see cref="ProcessKitEndpointRouteBuilderExtensions.MapProcessKit"/> maps:
/// which claims name the user and their roles, how large request bodies may be, and page sizes.
/// </summary>
/// <remarks>
/// Checked when the endpoints are mapped (a setting out of range throws there) and copied then:
/// changing the object afterwards changes nothing. Not thread-safe while being configured.
/// </remarks>
public sealed class ProcessKitEndpointOptions
{
    /// <summary>The claim type that carries the user's role ids. Default <see cref="ClaimTypes.Role"/>.</summary>
    public string RoleClaimType { get; set; } = ClaimTypes.Role;

    /// <summary>
    /// The claim type that carries the user's id. Default <see cref="ClaimTypes.NameIdentifier"/>; when the
    /// principal has no such claim, its identity's name is the id.
    /// </summary>
    public string UserIdClaimType { get; set; } = ClaimTypes.NameIdentifier;

    /// <summary>
    /// The largest request body accepted, in bytes; a larger one is refused with 413 before it is parsed.
    /// Default 64 KiB. Between 1 byte and 100 MiB.
    /// </summary>
    public long MaxRequestBodySize { get; set; } = 64 * 1024;

    /// <summary>How many tasks a page of the task list holds when the request names no size. Default 50.</summary>
    public int DefaultPageSize { get; set; } = 50;

    /// <summary>The largest page size a request may ask for; a larger one is refused with 400. Default 500.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>How many instances one report request may name; more are refused with 400. Default 1,000.</summary>
    public int MaxReportInstances { get; set; } = 1_000;

    /// <summary>
    /// The role a user needs to publish messages. Default <see langword="null"/>: any signed-in user may
    /// (protect the route group with an authorization policy when messages come only from other systems).
    /// </summary>
    public string? MessagePublisherRole { get; set; }

    internal ProcessKitEndpointOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(RoleClaimType, nameof(RoleClaimType));
        ArgumentException.ThrowIfNullOrWhiteSpace(UserIdClaimType, nameof(UserIdClaimType));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBodySize, 1, nameof(MaxRequestBodySize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestBodySize, 100L * 1024 * 1024, nameof(MaxRequestBodySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPageSize, 1, nameof(MaxPageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultPageSize, 1, nameof(DefaultPageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultPageSize, MaxPageSize, nameof(DefaultPageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReportInstances, 1, nameof(MaxReportInstances));
        if (MessagePublisherRole is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(MessagePublisherRole, nameof(MessagePublisherRole));
        }

        return new ProcessKitEndpointOptions
        {
            RoleClaimType = RoleClaimType,
            UserIdClaimType = UserIdClaimType,
            MaxRequestBodySize = MaxRequestBodySize,
            DefaultPageSize = DefaultPageSize,
            MaxPageSize = MaxPageSize,
            MaxReportInstances = MaxReportInstances,
            MessagePublisherRole = MessagePublisherRole,
        };
    }
}
