namespace ProcessKit;

/// <summary>
/// Thrown when an instance kept changing under a command (another node committed first every time
/// the engine retried). Nothing was changed by the command. Error code: <see cref="ProcessErrorCodes.Conflict"/>.
/// </summary>
public sealed class ProcessConflictException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message for people.</param>
    public ProcessConflictException(string message)
        : base(ProcessErrorCodes.Conflict, message)
    {
    }
}
