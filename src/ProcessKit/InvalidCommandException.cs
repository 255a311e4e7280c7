namespace ProcessKit;

/// <summary>
/// Thrown when a command cannot apply to the current state: a task already completed, an unknown
/// outcome, start data that does not match the declared inputs, an instance that has ended. Nothing
/// was changed. <see cref="ProcessKitException.ErrorCode"/> tells which (see <see cref="ProcessErrorCodes"/>).
/// </summary>
public sealed class InvalidCommandException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">A code of <see cref="ProcessErrorCodes"/>.</param>
    /// <param name="message">The message for people.</param>
    /// <param name="problems">Each problem found, for data checks. Optional.</param>
    public InvalidCommandException(string errorCode, string message, IReadOnlyList<string>? problems = null)
        : base(errorCode, message)
    {
        Problems = problems ?? [];
    }

    /// <summary>Each problem found (for data checks, one line per field); empty otherwise.</summary>
    public IReadOnlyList<string> Problems { get; }
}
