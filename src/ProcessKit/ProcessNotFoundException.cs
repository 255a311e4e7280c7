namespace ProcessKit;

/// <summary>
/// Thrown when a command names a process, instance or task that does not exist. Nothing was changed.
/// Error codes: <see cref="ProcessErrorCodes.ProcessNotFound"/>, <see cref="ProcessErrorCodes.InstanceNotFound"/>,
/// <see cref="ProcessErrorCodes.TaskNotFound"/>.
/// </summary>
public sealed class ProcessNotFoundException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the not-found codes of <see cref="ProcessErrorCodes"/>.</param>
    /// <param name="message">The message for people.</param>
    public ProcessNotFoundException(string errorCode, string message)
        : base(errorCode, message)
    {
    }
}
