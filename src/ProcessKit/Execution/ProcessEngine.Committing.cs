using ProcessKit.Persistence;

namespace ProcessKit.Execution;

/// <content>Committing a command, and what the engine does when the store fails while it commits.</content>
public sealed partial class ProcessEngine
{
    private enum Landing
    {
        NotStored,
        Stored,
        Unknown,
    }

    /// <summary>
    /// Commits a transition. When the store throws, the engine reads the instance back to learn whether the commit
    /// was stored all the same (the store applied it and then failed to say so): if it was, the command succeeded
    /// and this returns true; if it was not, the store's error is thrown (a raw one wrapped in a
    /// <see cref="ProcessStoreException"/>); if the instance cannot be read back, a
    /// <see cref="ProcessErrorCodes.StoreOutcomeUnknown"/> error is thrown. A cancellation of the caller's token is
    /// thrown as it is.
    /// </summary>
    /// <returns>False when the instance moved on (a version conflict): nothing was stored.</returns>
    /// <remarks>A store that completes at once (the in-memory one) costs no extra state machine here.</remarks>
    private ValueTask<bool> CommitAsync(Transition transition, CancellationToken cancellationToken)
    {
        var commit = transition.Commit;
        ValueTask<bool> pending;
        try
        {
            pending = Store.TryCommitAsync(commit, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return AfterFailedCommitAsync(commit, e, cancellationToken);
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitCommitAsync(pending, commit, cancellationToken);
    }

    private async ValueTask<bool> AwaitCommitAsync(ValueTask<bool> pending, InstanceCommit commit, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await AfterFailedCommitAsync(commit, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After the store threw while committing: true when the commit was stored all the same, else the error to give the caller.</summary>
    private async ValueTask<bool> AfterFailedCommitAsync(InstanceCommit commit, Exception e, CancellationToken cancellationToken)
    {
        // Whatever happened, a sleeping host may have work sooner: a spurious wake costs one empty run.
        WakeIfEarlier(commit.EarliestDueTicks);
        switch (await LandingAsync(commit, cancellationToken).ConfigureAwait(false))
        {
            case Landing.Stored:
                return true;
            case Landing.NotStored when e is ProcessKitException:
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
                return false;
            case Landing.NotStored:
                throw new ProcessStoreException(
                    ProcessErrorCodes.StoreUnavailable,
                    $"The store failed while committing a command on the instance {commit.Instance.Id}; nothing was stored, and the command may be repeated. {e.Message}",
                    e);
            default:
                throw new ProcessStoreException(
                    ProcessErrorCodes.StoreOutcomeUnknown,
                    $"The store failed while committing a command on the instance {commit.Instance.Id}, and the instance could not be read back: the command may or may not have been stored. "
                        + $"Read the instance when the store is back, or repeat the command (see the engine documentation for which commands are safe to repeat). {e.Message}",
                    e);
        }
    }

    /// <summary>Whether a commit the store failed on was stored: the instance read back is this commit's, at the version it made.</summary>
    private async ValueTask<Landing> LandingAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        var mine = commit.Instance;
        InstanceRecord? stored;
        try
        {
            // With its history, so that the last event can be compared (a durable store leaves it out otherwise).
            stored = await Store.FindInstanceAsync(mine.Id, this, true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Landing.Unknown;
        }

        if (stored is null)
        {
            // Only a new instance may be missing; an instance the command loaded was never deleted.
            return commit.ExpectedVersion == 0 ? Landing.NotStored : Landing.Unknown;
        }

        if (ReferenceEquals(stored, mine))
        {
            return Landing.Stored;
        }

        if (stored.Version == commit.ExpectedVersion)
        {
            return Landing.NotStored;
        }

        if (stored.Version != commit.ExpectedVersion + 1)
        {
            // Moved on further: this commit may be under a later one.
            return Landing.Unknown;
        }

        // One commit only can make that version: this one, or another node's.
        return SameState(stored, mine) ? Landing.Stored : Landing.NotStored;
    }

    /// <summary>Whether a record read back is the state a commit wrote: the same waits (task ids are never reused), step count, history length and last event.</summary>
    private static bool SameState(InstanceRecord stored, InstanceRecord mine)
    {
        if (stored.State != mine.State
            || stored.StepCounter != mine.StepCounter
            || stored.TokenCount != mine.TokenCount
            || stored.HistoryBase + stored.HistoryCount != mine.HistoryBase + mine.HistoryCount)
        {
            return false;
        }

        for (var i = 0; i < mine.TokenCount; i++)
        {
            if (stored.Tokens[i] != mine.Tokens[i])
            {
                return false;
            }
        }

        if (mine.HistoryCount == 0 || stored.HistoryCount == 0)
        {
            return true;
        }

        ref readonly var a = ref stored.History[stored.HistoryCount - 1];
        ref readonly var b = ref mine.History[mine.HistoryCount - 1];
        return a.UtcTicks == b.UtcTicks && a.Type == b.Type && a.Node == b.Node && a.StepInstance == b.StepInstance;
    }
}
