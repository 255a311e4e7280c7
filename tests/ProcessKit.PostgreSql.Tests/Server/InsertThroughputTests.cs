using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ProcessKit.PostgreSql.Tests.Server;

/// <summary>
/// Measures plain single-row autocommit inserts over loopback with four connections (fsync on) and reports the rate
/// in the test output; the figure is a reference for the store's benchmarks, never asserted.
/// </summary>
public sealed class InsertThroughputTests(PostgresServer server)
{
    [Fact]
    public async Task Four_connections_committing_one_row_each_store_every_row()
    {
        const int Connections = 4;
        const int RowsPerConnection = 500;
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        await db.MigrateAsync();

        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Connections).Select(c => Task.Run(
            async () =>
            {
                await using var connection = await db.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
                await using var command = new NpgsqlCommand(
                    "INSERT INTO processkit.history (tenant, instance_id, first_seq, count, events) VALUES ('t', @instance, @seq, 1, '\\x01')",
                    connection);
                var instance = command.Parameters.AddWithValue("instance", (long)c);
                var seq = command.Parameters.AddWithValue("seq", 0);
                await command.PrepareAsync(TestContext.Current.CancellationToken);
                for (var i = 0; i < RowsPerConnection; i++)
                {
                    seq.Value = i;
                    await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
                }
            },
            TestContext.Current.CancellationToken));
        await Task.WhenAll(writers);
        clock.Stop();

        var rate = Connections * RowsPerConnection / clock.Elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"plain inserts, {Connections} connections, one commit per row, fsync on: {rate:F0} rows/s ({Connections * RowsPerConnection} rows in {clock.Elapsed.TotalMilliseconds:F0} ms)"));
        Assert.Equal((long)(Connections * RowsPerConnection), await db.ScalarAsync<long>("SELECT count(*) FROM processkit.history"));
    }
}
