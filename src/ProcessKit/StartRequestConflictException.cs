using ProcessKit.Execution;

namespace ProcessKit;

/// <summary>
/// Thrown when a start names a <see cref="StartRequest.RequestId"/> that an earlier start used with another process,
/// business key or data: the id is already taken by the instance <see cref="Instance"/>. Nothing was changed. Error code:
/// <see cref="ProcessErrorCodes.StartRequestConflict"/>.
/// </summary>
public sealed class StartRequestConflictException : ProcessKitException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requestId">The request id used twice.</param>
    /// <param name="instance">The instance the first start with the id started.</param>
    /// <param name="message">The message for people.</param>
    public StartRequestConflictException(string requestId, InstanceId instance, string message)
        : base(ProcessErrorCodes.StartRequestConflict, message)
    {
        RequestId = requestId;
        Instance = instance;
    }

    /// <summary>The request id used twice.</summary>
    public string RequestId { get; }

    /// <summary>The instance the first start with the id started.</summary>
    public InstanceId Instance { get; }
}
