using System.Collections.Frozen;
using System.Security.Claims;

namespace ProcessKit.Execution;

/// <summary>
/// The person acting on a task, with the roles the host says they hold. The engine checks every
/// task action against these roles.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ProcessUser
{
    /// <summary>Creates a user.</summary>
    /// <param name="id">The user id, as the host knows it.</param>
    /// <param name="roles">The ids of the roles the user holds (the role ids of the definitions).</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    public ProcessUser(string id, IEnumerable<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(roles);
        Id = id;
        Roles = roles.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The user id.</summary>
    public string Id { get; }

    /// <summary>The ids of the roles the user holds.</summary>
    public IReadOnlySet<string> Roles { get; }

    /// <summary>Whether the user holds the role.</summary>
    /// <param name="role">A role id.</param>
    /// <returns><see langword="true"/> when the user holds it.</returns>
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>Makes a user from a claims principal: the id from one claim type, the roles from another.</summary>
    /// <param name="principal">The authenticated principal.</param>
    /// <param name="roleClaimType">The claim type holding role ids. Default <see cref="ClaimTypes.Role"/>.</param>
    /// <param name="idClaimType">The claim type holding the user id. Default <see cref="ClaimTypes.NameIdentifier"/>; the identity's name is used when that claim is absent.</param>
    /// <returns>The user.</returns>
    /// <exception cref="ArgumentException">The principal carries no user id.</exception>
    public static ProcessUser FromClaimsPrincipal(ClaimsPrincipal principal, string roleClaimType = ClaimTypes.Role, string idClaimType = ClaimTypes.NameIdentifier)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleClaimType);
        ArgumentException.ThrowIfNullOrWhiteSpace(idClaimType);
        var id = principal.FindFirst(idClaimType)?.Value ?? principal.Identity?.Name;
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException($"The principal has no '{idClaimType}' claim and no name, so it names no user.", nameof(principal));
        }

        var roles = new List<string>();
        foreach (var claim in principal.FindAll(roleClaimType))
        {
            roles.Add(claim.Value);
        }

        return new ProcessUser(id, roles);
    }

    /// <summary>Returns the user id.</summary>
    public override string ToString() => Id;
}
