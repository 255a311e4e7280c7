namespace ProcessKit.Hosting;

/// <summary>What the worker is doing and when its last pass over due work finished; written by the worker, read by the worker health check. Thread-safe.</summary>
internal sealed class WorkerHeartbeat
{
    private readonly Lock _gate = new();
    private WorkerStatus _status = new(WorkerPhase.NotStarted, default, default, null, null);

    public WorkerStatus Read()
    {
        lock (_gate)
        {
            return _status;
        }
    }

    public void Disabled(DateTimeOffset now) => Set(s => s with { Phase = WorkerPhase.Disabled, Since = now, StartedAt = now });

    public void Started(DateTimeOffset now) => Set(s => s with { Phase = WorkerPhase.Running, Since = now, StartedAt = now });

    public void Running(DateTimeOffset now) => Set(s => s with { Phase = WorkerPhase.Running, Since = now });

    public void Passed(DateTimeOffset now) => Set(s => s with { Phase = WorkerPhase.Waiting, Since = now, LastPassAt = now, LastError = null });

    public void Failed(DateTimeOffset now, string error) => Set(s => s with { Phase = WorkerPhase.BackingOff, Since = now, LastError = error });

    public void Stopped(DateTimeOffset now) => Set(s => s with { Phase = WorkerPhase.Stopped, Since = now });

    private void Set(Func<WorkerStatus, WorkerStatus> change)
    {
        lock (_gate)
        {
            _status = change(_status);
        }
    }
}

/// <summary>The worker's phase and since when, when its loop started, its last finished pass and the error of its last failed one.</summary>
internal sealed record WorkerStatus(WorkerPhase Phase, DateTimeOffset Since, DateTimeOffset StartedAt, DateTimeOffset? LastPassAt, string? LastError);

/// <summary>Where the worker's loop is.</summary>
internal enum WorkerPhase
{
    NotStarted,
    Running,
    Waiting,
    BackingOff,
    Stopped,
    Disabled,
}
