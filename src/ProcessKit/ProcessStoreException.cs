namespace ProcessKit;

/// <summary>
/// A store cannot be used as it is: the database cannot be opened or written, its schema is newer
/// than this version of ProcessKit knows, or what it holds was changed outside ProcessKit.
/// <see cref="ProcessKitException.ErrorCode"/> says which (<see cref="ProcessErrorCodes.StoreUnavailable"/>,
/// <see cref="ProcessErrorCodes.StoreSchemaTooNew"/>, <see cref="ProcessErrorCodes.StoreFormatUnsupported"/>);
/// the message says what to do.
/// </summary>
public sealed class ProcessStoreException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">One of the store codes of <see cref="ProcessErrorCodes"/>.</param>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The database's own error, if any.</param>
    public ProcessStoreException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
