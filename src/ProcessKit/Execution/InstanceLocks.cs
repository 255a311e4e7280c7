namespace ProcessKit.Execution;

/// <summary>
/// Serializes commands for one instance inside a process: a fixed array of semaphores, the instance
/// id picking one. No allocation per instance; unrelated instances rarely share a stripe.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class InstanceLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public InstanceLocks(int stripes = 256)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public SemaphoreSlim For(InstanceId instance) => _stripes[(int)((ulong)instance.Value % (ulong)_stripes.Length)];
}
