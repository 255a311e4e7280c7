namespace ProcessKit.PostgreSql.Leasing;

/// <summary>Why <see cref="TimerWaiter.WaitAsync"/> returned.</summary>
internal enum WakeReason
{
    /// <summary>A notification arrived (or the listening connection was re-established and notifications may have been missed).</summary>
    Notified,

    /// <summary>The polling backoff elapsed: the backstop poll.</summary>
    BackoffElapsed,

    /// <summary>The next known due time was reached before the backoff elapsed.</summary>
    DueTimeReached,
}
