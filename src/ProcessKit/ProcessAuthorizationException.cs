namespace ProcessKit;

/// <summary>
/// Thrown when a user may not take an action on a task (not in its role, not its holder, barred by
/// separation of duties). Nothing was changed. Error code: <see cref="ProcessErrorCodes.NotAuthorized"/>.
/// </summary>
public sealed class ProcessAuthorizationException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message for people.</param>
    public ProcessAuthorizationException(string message)
        : base(ProcessErrorCodes.NotAuthorized, message)
    {
    }
}
