using ProcessKit.Crash;

namespace ProcessKit.Sqlite.Tests.Crash;

/// <summary>The crash test on SQLite: the crash host is killed with SIGKILL at random points and restarted on the same file (see <see cref="CrashScenario"/>).</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task Killed_processes_lose_no_acknowledged_transition_and_a_new_process_finishes_every_instance()
    {
        using var db = new TempDatabase();
        var figures = await CrashScenario.RunAsync(
            seed: 20261128,
            ["--sqlite", db.Path],
            async ct => await SqliteProcessStore.OpenAsync(db.Options(), ct),
            _ => Task.FromResult(StoredBusinessKeys(db)));
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
    }

    private static Dictionary<long, string> StoredBusinessKeys(TempDatabase db)
    {
        using var connection = db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, business_key FROM instances;";
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<long, string>();
        while (reader.Read())
        {
            keys.Add(reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
        }

        return keys;
    }
}
