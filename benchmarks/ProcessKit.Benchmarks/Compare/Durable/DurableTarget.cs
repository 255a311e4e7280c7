using ProcessKit.Persistence;

namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>
/// One durable store for the durable block: opens the store the engine runs on, and measures the
/// plain inserts on the same database (a table of its own) after the engine's phases.
/// </summary>
internal abstract class DurableTarget : IAsyncDisposable
{
    /// <summary>Rows per transaction of the batched plain inserts.</summary>
    public const int BatchRows = 512;

    /// <summary>The store's name as the table shows it.</summary>
    public abstract string Name { get; }

    /// <summary>What the store runs on (file and synchronous mode, or server version), once started.</summary>
    public abstract string Description { get; }

    /// <summary>Opens the store the engine runs on (one for the whole block: every scenario has its own process id).</summary>
    public abstract Task<IProcessStore> OpenStoreAsync(CancellationToken cancellationToken);

    /// <summary>Closes the store opened by <see cref="OpenStoreAsync"/>.</summary>
    public abstract ValueTask CloseStoreAsync();

    /// <summary>Inserts <paramref name="rows"/> rows, one transaction each, from <paramref name="connections"/> connections where the database allows concurrent writers; returns how many connections were used.</summary>
    public abstract Task<int> PlainOneRowCommitsAsync(int rows, int connections, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="rows"/> rows, <see cref="BatchRows"/> per transaction, on one connection.</summary>
    public abstract Task PlainBatchedAsync(int rows, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
