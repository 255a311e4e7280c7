namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// One engine running one scenario for N instances. The runner calls, in order:
/// <see cref="PrepareAsync"/> (not timed), <see cref="StartAllAsync"/> (timed),
/// <see cref="ResumeAllAsync"/> (timed; wait scenarios only), <see cref="Verify"/>, then disposes.
/// </summary>
internal abstract class ScenarioDriver : IAsyncDisposable
{
    /// <summary>Builds the engine and registers the definition for <paramref name="count"/> instances (not timed).</summary>
    public abstract Task PrepareAsync(int count, CancellationToken cancellationToken);

    /// <summary>
    /// Starts every instance. Run-to-end scenarios return once every instance has ended; wait
    /// scenarios once every instance is parked on its wait (its subscription is stored).
    /// </summary>
    public abstract Task StartAllAsync(CancellationToken cancellationToken);

    /// <summary>Publishes one correlated event per parked instance and returns once every instance has ended.</summary>
    public virtual Task ResumeAllAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Only the wait scenarios resume.");

    /// <summary>How many instances reached the goal of the current phase so far (reported on a timeout).</summary>
    public abstract int Progress { get; }

    /// <summary>
    /// Checks every instance against what its steps should have done (fields set, the branch taken,
    /// the payload received; parked instances: the first step done and nothing after it). Returns
    /// the problems found, at most a few of them, or an empty list.
    /// </summary>
    public abstract Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Collects problems, keeping the first few and counting the rest.</summary>
    protected sealed class Problems
    {
        private const int Kept = 5;
        private readonly List<string> _list = [];
        private int _count;

        /// <summary>Records one problem.</summary>
        public void Add(string problem)
        {
            if (_count++ < Kept)
            {
                _list.Add(problem);
            }
        }

        /// <summary>The problems kept, with a line for those left out.</summary>
        public IReadOnlyList<string> ToList()
        {
            if (_count > Kept)
            {
                _list.Add($"... and {_count - Kept} more");
            }

            return _list;
        }
    }
}
