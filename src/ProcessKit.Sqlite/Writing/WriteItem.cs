namespace ProcessKit.Sqlite.Writing;

/// <summary>
/// One write queued on the writer: runs once inside a batch's transaction, and its caller's task
/// completes only after that transaction committed (or failed).
/// </summary>
/// <remarks>
/// Thread-safe: the caller's cancellation races with the loop's start through one compare-and-swap,
/// so an item is either cancelled before it runs or run and then committed, never both.
/// </remarks>
internal abstract class WriteItem
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Cancelled = 2;

    private readonly CancellationToken _cancellationToken;
    private CancellationTokenRegistration _registration;
    private int _state;

    protected WriteItem(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
    }

    /// <summary>Whether the write ran and threw (its changes were rolled back to its savepoint).</summary>
    public abstract bool Threw { get; }

    /// <summary>Completes the caller's task as cancelled as soon as the token fires, if the write has not started.</summary>
    public void ListenForCancellation()
    {
        if (_cancellationToken.CanBeCanceled)
        {
            _registration = _cancellationToken.UnsafeRegister(static state => ((WriteItem)state!).CancelIfQueued(), this);
        }
    }

    /// <summary>Marks the write as started; false when its caller cancelled it first (then it must not run).</summary>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued)
        {
            return false;
        }

        _registration.Unregister();
        return true;
    }

    /// <summary>Runs the write; an exception it throws is kept for its caller, not rethrown.</summary>
    public abstract void Run(SqliteWriteContext context);

    /// <summary>After the commit: gives the caller the write's result, or the exception it threw.</summary>
    public abstract void Complete();

    /// <summary>Fails the caller's task, unless it was already completed or cancelled.</summary>
    public abstract void Fail(Exception exception);

    protected abstract void SetCancelled(CancellationToken cancellationToken);

    private void CancelIfQueued()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
        {
            SetCancelled(_cancellationToken);
        }
    }
}

/// <summary>A write that returns a <typeparamref name="T"/> to its caller.</summary>
/// <typeparam name="T">What the write returns.</typeparam>
internal sealed class WriteItem<T> : WriteItem
{
    private readonly Func<SqliteWriteContext, T> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private Exception? _error;

    public WriteItem(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken)
        : base(cancellationToken)
    {
        _work = work;
    }

    /// <summary>The caller's task.</summary>
    public Task<T> Task => _completion.Task;

    public override bool Threw => _error is not null;

    public override void Run(SqliteWriteContext context)
    {
        try
        {
            _result = _work(context);
        }
        catch (Exception e)
        {
            // Any failure of the caller's delegate belongs to that caller alone: the writer rolls back to
            // the item's savepoint and hands the exception over after the batch commits.
            _error = e;
        }
    }

    public override void Complete()
    {
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(_error ?? exception);

    protected override void SetCancelled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
