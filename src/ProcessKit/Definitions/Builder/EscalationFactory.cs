namespace ProcessKit.Definitions;

/// <summary>Creates the escalations that human tasks, message waits and deadlines add, checking that handles belong to the builder.</summary>
internal static class EscalationFactory
{
    public static Escalation Remind(DueTime? at, string? message) =>
        new(EscalationAction.Remind) { At = at, Message = CheckMessage(message) };

    public static Escalation NotifyRole(ProcessBuilder builder, RoleHandle role, DueTime? at, string? message) =>
        new(EscalationAction.NotifyRole) { Role = builder.Own(role).Id, At = at, Message = CheckMessage(message) };

    public static Escalation Reassign(ProcessBuilder builder, RoleHandle role, DueTime? at, string? message) =>
        new(EscalationAction.Reassign) { Role = builder.Own(role).Id, At = at, Message = CheckMessage(message) };

    public static Escalation TakePath(ProcessBuilder builder, StepHandle to, bool interrupting, PathKind path, DueTime? at, string? message) =>
        new(EscalationAction.TakePath)
        {
            To = builder.Own(to).Id,
            Interrupting = interrupting,
            Path = path,
            At = at,
            Message = CheckMessage(message),
        };

    private static string? CheckMessage(string? message, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(message))] string? paramName = null)
    {
        if (message is not null && string.IsNullOrWhiteSpace(message))
        {
            throw new ArgumentException("The message is empty or white space; leave it out instead.", paramName);
        }

        return message;
    }
}
