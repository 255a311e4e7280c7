namespace ProcessKit.Execution;

/// <summary>
/// A request to start an instance of the newest deployed version of a process, for
/// <see cref="ProcessEngine.StartAsync(ProcessKit.Execution.StartRequest, System.Threading.CancellationToken)"/>. Give it a <see cref="RequestId"/> to make
/// the start safe to repeat: after a store error (<see cref="ProcessErrorCodes.StoreOutcomeUnknown"/>, a timeout, a lost
/// connection) the caller sends the same request again and gets the instance the first one started, never a second one.
/// </summary>
/// <param name="ProcessId">The id of the process to start.</param>
/// <remarks>Immutable and thread-safe (as long as the <see cref="Data"/> dictionary is not changed while it is used).</remarks>
public sealed record StartRequest(string ProcessId)
{
    /// <summary>The start data: fields the process declares (its supplier inputs are checked for presence and type). Optional.</summary>
    public IReadOnlyDictionary<string, object?>? Data { get; init; }

    /// <summary>A key the host knows the instance by (an order number). Optional; not unique (see <see cref="RequestId"/>).</summary>
    public string? BusinessKey { get; init; }

    /// <summary>
    /// An id the caller chooses that makes the start idempotent (an idempotency key: a GUID, or a key derived from the
    /// caller's own record such as <c>order-4711</c>). The first start with an id stores it with the instance, in the
    /// same commit. A later start with the same id starts nothing: when it asks for the same process with the same
    /// business key and the same data, it returns the instance the first one started (whether that instance still runs
    /// or has ended); when it asks for anything else, it is refused with a <see cref="StartRequestConflictException"/>
    /// that names that instance. Ids are kept as long as the store (they do not expire), per tenant. Optional: without
    /// an id every call starts a new instance.
    /// </summary>
    public string? RequestId { get; init; }
}
