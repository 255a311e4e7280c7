using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite.Tests.Writing;

/// <summary>
/// A write that holds the writer's loop until the test opens the gate, so that the test can queue
/// writes behind it and know they will share the next batch.
/// </summary>
internal sealed class Gate : IDisposable
{
    private readonly SemaphoreSlim _open = new(0);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Submits the gate's write and waits until the loop runs it.</summary>
    public async Task<Task<int>> HoldAsync(SqliteWriter writer)
    {
        var held = writer.SubmitAsync(
            _ =>
            {
                _entered.TrySetResult();
                // Bounded, so that a failing test cannot hang the run.
                return _open.Wait(TempDatabase.Patience) ? 1 : 0;
            },
            TestContext.Current.CancellationToken);
        await _entered.Task.WaitAsync(TempDatabase.Patience, TestContext.Current.CancellationToken);
        return held;
    }

    public void Open() => _open.Release();

    public void Dispose() => _open.Dispose();
}
