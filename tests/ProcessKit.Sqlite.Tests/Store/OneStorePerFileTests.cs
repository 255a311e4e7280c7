using ProcessKit.Crash;
using ProcessKit.Persistence;
using ProcessKit.Sqlite.Schema;

namespace ProcessKit.Sqlite.Tests.Store;

/// <summary>One store per file and tenant: a second one, in this process or another, is refused at open and changes nothing.</summary>
public sealed class OneStorePerFileTests : IDisposable
{
    private readonly TempDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    private Task<SqliteProcessStore> OpenAsync(string tenant = "default") =>
        SqliteProcessStore.OpenAsync(_db.Options(o => o.TenantId = tenant), Ct).AsTask();

    private void AssertRefusedAsAlreadyOpen(ProcessStoreException error)
    {
        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains(_db.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("already open", error.Message, StringComparison.Ordinal);
        Assert.Contains("Close the other store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_store_on_the_same_file_and_tenant_in_one_process_is_refused_until_the_first_is_disposed()
    {
        var first = await OpenAsync();
        await using (first)
        {
            var error = await Assert.ThrowsAsync<ProcessStoreException>(() => OpenAsync());
            AssertRefusedAsAlreadyOpen(error);

            // Another tenant of the same file is another store.
            await using var other = await OpenAsync("other");
            Assert.NotNull(other.Storage);

            // The first store still works.
            Assert.True(await ((IProcessStore)first).TryBufferAsync(new Messaging.BufferedMessage("m", "k", null, null, long.MaxValue, 0), 0, Ct));
        }

        await using var again = await OpenAsync();
        Assert.NotNull(((IProcessStore)again).FindBuffered("m", "k", 0));
    }

    [Fact]
    public async Task A_refused_open_leaves_the_file_byte_for_byte_unchanged()
    {
        await (await OpenAsync()).DisposeAsync();
        var before = Snapshot();

        using (SqliteFileLock.Acquire(_db.ConnectionString, "default"))
        {
            var error = await Assert.ThrowsAsync<ProcessStoreException>(() => OpenAsync());
            AssertRefusedAsAlreadyOpen(error);
        }

        Assert.Equal(before, Snapshot());
    }

    /// <summary>The bytes of the file and of its WAL and shared-memory files (empty when missing).</summary>
    private List<byte[]> Snapshot() =>
        [.. new[] { _db.Path, _db.Path + "-wal", _db.Path + "-shm" }.Select(static f => File.Exists(f) ? File.ReadAllBytes(f) : [])];

    [Fact]
    public async Task A_store_held_by_another_process_is_refused_until_that_process_is_killed()
    {
        await using var child = CrashChild.Start("--sqlite", _db.Path, "--hold");
        await child.WaitReadyAsync(Ct);

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => OpenAsync());
        AssertRefusedAsAlreadyOpen(error);

        await child.KillAsync(Ct);
        await using var store = await OpenAsync();
        Assert.NotNull(store.Storage);
    }

    [Fact]
    public async Task Another_process_opening_a_file_held_here_fails_saying_it_is_already_open()
    {
        await using var store = await OpenAsync();

        await using var child = CrashChild.Start("--sqlite", _db.Path, "--hold");
        var exit = await child.WaitForExitAsync(Ct);

        Assert.NotEqual(0, exit);
        Assert.Contains("already open", child.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(child.Lines, static line => line.StartsWith("ready", StringComparison.Ordinal));
    }
}
