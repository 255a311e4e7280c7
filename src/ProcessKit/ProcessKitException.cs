namespace ProcessKit;

/// <summary>
/// The base of every exception ProcessKit throws on purpose. <see cref="ErrorCode"/> is a stable,
/// machine-readable code (for example <c>definition.invalid</c>) that hosts can map to responses.
/// </summary>
public abstract class ProcessKitException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The stable error code.</param>
    /// <param name="message">The message for people.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected ProcessKitException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The stable, machine-readable error code.</summary>
    public string ErrorCode { get; }
}
