namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>Runs Stateless machines for N instances on the calling thread, keeping every instance for the check.</summary>
internal abstract class StatelessDriver<TInstance> : ScenarioDriver
    where TInstance : class
{
    private int _progress;

    /// <summary>Every instance, by index.</summary>
    protected TInstance[] Instances { get; private set; } = [];

    /// <inheritdoc />
    public override int Progress => Volatile.Read(ref _progress);

    /// <inheritdoc />
    public override Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        Instances = new TInstance[count];
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task StartAllAsync(CancellationToken cancellationToken)
    {
        _progress = 0;
        for (var i = 0; i < Instances.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Instances[i] = Start(i);
            Volatile.Write(ref _progress, i + 1);
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates instance <paramref name="index"/> with its machine and fires it to its end or its wait.</summary>
    protected abstract TInstance Start(int index);

    /// <summary>Sets the progress of the current phase.</summary>
    protected void SetProgress(int value) => Volatile.Write(ref _progress, value);

    /// <inheritdoc />
    public override Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new Problems();
        for (var i = 0; i < Instances.Length; i++)
        {
            if (Instances[i] is { } instance)
            {
                Check(i, instance, problems);
            }
            else
            {
                problems.Add($"instance {i} missing");
            }
        }

        return Task.FromResult(problems.ToList());
    }

    /// <summary>Checks one instance against what its steps should have done.</summary>
    protected abstract void Check(int index, TInstance instance, Problems problems);

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Instances = [];
        return ValueTask.CompletedTask;
    }
}
