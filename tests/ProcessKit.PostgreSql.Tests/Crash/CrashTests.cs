using ProcessKit.Crash;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Crash;

/// <summary>
/// The crash test on PostgreSQL: the crash host is killed with SIGKILL at random points and restarted on the same
/// database; leases the killed node held are taken over when they expire (see <see cref="CrashScenario"/>).
/// </summary>
public sealed class CrashTests(PostgresServer server)
{
    [Fact]
    public async Task Killed_processes_lose_no_acknowledged_transition_and_a_new_process_finishes_every_instance()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var figures = await CrashScenario.RunAsync(
            seed: 20261128,
            ["--postgres", db.ConnectionString],
            async ct => await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, ct),
            async ct =>
            {
                await using var command = db.DataSource.CreateCommand("SELECT id, business_key FROM processkit.instances");
                await using var reader = await command.ExecuteReaderAsync(ct);
                var keys = new Dictionary<long, string>();
                while (await reader.ReadAsync(ct))
                {
                    keys.Add(reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
                }

                return keys;
            });
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
    }
}
