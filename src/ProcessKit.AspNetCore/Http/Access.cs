using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.AspNetCore.Http;

/// <summary>
/// Who may do what beyond task actions (which the engine checks itself): a process's participants are
/// the users holding one of the roles it declares or its owner role (everyone signed in when it declares
/// none); they may start it and read its instances. Reports are for the owner role when the process
/// names one, else for its participants.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class Access
{
    public static bool IsParticipant(ProcessDefinition definition, ProcessUser user)
    {
        if (definition.Roles.IsEmpty && definition.OwnerRole is null)
        {
            return true;
        }

        if (definition.OwnerRole is { } owner && user.IsInRole(owner))
        {
            return true;
        }

        foreach (var role in definition.Roles)
        {
            if (user.IsInRole(role.Id))
            {
                return true;
            }
        }

        return false;
    }

    public static bool MayReport(ProcessDefinition definition, ProcessUser user) =>
        definition.OwnerRole is { } owner ? user.IsInRole(owner) : IsParticipant(definition, user);
}
