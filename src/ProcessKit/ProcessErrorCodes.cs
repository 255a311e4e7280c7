namespace ProcessKit;

/// <summary>
/// The stable error codes of the engine's exceptions (<see cref="ProcessKitException.ErrorCode"/>),
/// for hosts that map errors to responses.
/// </summary>
/// <remarks>Constants only; thread-safe.</remarks>
public static class ProcessErrorCodes
{
    /// <summary>No deployed process has the id.</summary>
    public const string ProcessNotFound = "process.not-found";

    /// <summary>No instance has the id.</summary>
    public const string InstanceNotFound = "instance.not-found";

    /// <summary>The instance has no open incident at that step run.</summary>
    public const string IncidentNotFound = "incident.not-found";

    /// <summary>No task has the id.</summary>
    public const string TaskNotFound = "task.not-found";

    /// <summary>The user may not take this action on the task.</summary>
    public const string NotAuthorized = "task.not-authorized";

    /// <summary>The instance kept changing under the command (optimistic concurrency).</summary>
    public const string Conflict = "instance.conflict";

    /// <summary>The task is completed or cancelled.</summary>
    public const string TaskClosed = "task.closed";

    /// <summary>Another user holds the task.</summary>
    public const string TaskClaimedByOther = "task.claimed";

    /// <summary>The outcome is not one of the task's outcomes.</summary>
    public const string UnknownOutcome = "task.outcome-unknown";

    /// <summary>The data given with a completed task does not match the task's fields.</summary>
    public const string TaskDataInvalid = "task.data-invalid";

    /// <summary>The start data does not match the inputs the process declares.</summary>
    public const string StartDataInvalid = "start.data-invalid";

    /// <summary>
    /// A start's request id was used before for another process, business key or data; the error
    /// (<see cref="StartRequestConflictException"/>) names the instance that start made.
    /// </summary>
    public const string StartRequestConflict = "start.request-conflict";

    /// <summary>The instance has ended (completed, cancelled or failed).</summary>
    public const string InstanceEnded = "instance.ended";

    /// <summary>A definition with the same id and version but other content is already deployed.</summary>
    public const string VersionExists = "definition.version-exists";

    /// <summary>The definition uses a handler that is not registered.</summary>
    public const string HandlerNotRegistered = "definition.handler-missing";

    /// <summary>The store cannot be opened or written (a file that is not a database, no permission, the server unreachable).</summary>
    public const string StoreUnavailable = "store.unavailable";

    /// <summary>
    /// The store failed while committing a command and the instance could not be read back: the command may or may
    /// not have been stored. Read the instance when the store is back, or repeat the command where repeating is safe.
    /// </summary>
    public const string StoreOutcomeUnknown = "store.outcome-unknown";

    /// <summary>The store's schema is newer than this version of ProcessKit knows; upgrade ProcessKit.</summary>
    public const string StoreSchemaTooNew = "store.schema-too-new";

    /// <summary>What the store holds cannot be read: written by a newer version, or changed outside ProcessKit.</summary>
    public const string StoreFormatUnsupported = "store.format-unsupported";
}
