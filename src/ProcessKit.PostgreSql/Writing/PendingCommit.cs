using Npgsql;

namespace ProcessKit.PostgreSql.Writing;

/// <summary>
/// One instance's commit waiting in the <see cref="CommitWriter"/>'s queue: the instance id (groups take their commits
/// in instance order) and a way to build its statements, called once per attempt (a group that had to leave out a
/// refused commit is sent again, with fresh commands). Its task completes once the group's transaction ended: true
/// when the commit is durable, false when one of its checks refused it (nothing of it applied), or with the error
/// that made the transaction fail.
/// </summary>
internal sealed class PendingCommit(long instanceId, Action<List<NpgsqlBatchCommand>> build)
    : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>The instance the commit changes.</summary>
    public long InstanceId { get; } = instanceId;

    private int _state; // 0 queued, 1 sent, 2 cancelled

    /// <summary>When the commit was queued (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>When the commit was taken into a group to be sent (<see cref="System.Diagnostics.Stopwatch"/> ticks); 0 before.</summary>
    public long SentAt { get; private set; }

    /// <summary>Marks the commit sent; false when its caller cancelled it first (then it must not be sent).</summary>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            return false;
        SentAt = System.Diagnostics.Stopwatch.GetTimestamp();
        return true;
    }

    /// <summary>Cancels the commit if it was not sent yet.</summary>
    public void TryCancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
            TrySetCanceled(token);
    }

    /// <summary>Adds the commit's statements, checks first, to <paramref name="commands"/>.</summary>
    public void Build(List<NpgsqlBatchCommand> commands) => build(commands);
}
