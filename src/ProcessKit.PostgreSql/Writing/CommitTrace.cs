namespace ProcessKit.PostgreSql.Writing;

/// <summary>
/// Where one commit's time went in the <see cref="CommitWriter"/> (for benchmarks; every time in
/// <see cref="System.Diagnostics.Stopwatch"/> ticks): queued by its caller, taken into a group, the group's transaction
/// sent and answered (the statements, the commit and its flush), and the caller's task completed.
/// </summary>
/// <param name="InstanceId">The instance the commit changed.</param>
/// <param name="Queued">When the caller queued it.</param>
/// <param name="Sent">When a writer took it into a group.</param>
/// <param name="TransactionStart">When the group's batch was handed to the connection (the last attempt's, after a refused commit was left out).</param>
/// <param name="TransactionEnd">When the server's answer to the batch arrived: the transaction committed and flushed.</param>
/// <param name="Completed">When the caller's task was completed.</param>
/// <param name="GroupSize">How many commits the transaction held.</param>
internal readonly record struct CommitTrace(long InstanceId, long Queued, long Sent, long TransactionStart, long TransactionEnd, long Completed, int GroupSize);
