using System.Net;
using System.Net.Sockets;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Schema;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>Opening, errors, definitions with lambdas and buffered payloads.</summary>
public sealed class StoreLifecycleTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_used_before_it_is_opened_says_how_to_open_it_and_initializing_twice_is_harmless()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = new PostgreSqlProcessStore(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString });
        IProcessStore contract = store;

        var error = Assert.Throws<InvalidOperationException>(() => contract.NewInstanceId());
        Assert.Contains("OpenAsync", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await contract.QueryIncidentsAsync(null, Ct));

        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await Task.WhenAll(engine.InitializeAsync(Ct).AsTask(), engine.InitializeAsync(Ct).AsTask());
        await engine.InitializeAsync(Ct);
        Assert.True(contract.NewInstanceId().Value > 0);
        Assert.Equal(Migrations.Latest, await new SchemaMigrator(db.DataSource, new StoreSchema("processkit")).ReadVersionAsync(Ct));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_reported_as_store_unavailable()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Timeout=5" };

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await PostgreSqlProcessStore.OpenAsync(options, Ct));

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains("reachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_the_server_refuses_is_reported_as_store_unavailable()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString + ";Username=nobody_here" };

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await PostgreSqlProcessStore.OpenAsync(options, Ct));

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
    }

    [Fact]
    public async Task A_schema_from_a_newer_release_is_refused_with_its_own_code()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.MigrateAsync();
        await db.ExecuteAsync($"INSERT INTO processkit.schema_migrations (version, description) VALUES ({Migrations.Latest + 1}, 'from the future')");

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString }, Ct));

        Assert.Equal(ProcessErrorCodes.StoreSchemaTooNew, error.ErrorCode);
    }

    [Fact]
    public async Task A_definition_with_lambdas_reserves_its_version_and_each_node_deploys_it_itself()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString };
        await using var nodeA = await PostgreSqlProcessStore.OpenAsync(options, Ct);
        await using var nodeB = await PostgreSqlProcessStore.OpenAsync(options, Ct);
        IProcessStore a = nodeA, b = nodeB;

        Assert.True(await a.SaveDefinitionAsync(WithLambda(), Ct));
        Assert.True(await db.ScalarAsync<bool>("SELECT json IS NULL FROM processkit.definitions"));
        Assert.Null(b.FindDefinition("lambda.route", 1));
        Assert.Empty(await b.ListDefinitionsAsync(Ct));

        // Another node deploys it at start, as the application does on every node.
        Assert.False(await b.SaveDefinitionAsync(WithLambda(), Ct));
        Assert.NotNull(b.FindDefinition("lambda.route", 1));
        Assert.NotNull(b.FindDefinition("lambda.route", null));

        // A JSON definition under the reserved version is other content.
        var error = await Assert.ThrowsAsync<InvalidCommandException>(async () => await b.SaveDefinitionAsync(Route("amount > 100"), Ct));
        Assert.Equal(ProcessErrorCodes.VersionExists, error.ErrorCode);
    }

    [Fact]
    public async Task A_buffered_payload_reads_back_by_name_and_two_reads_are_the_same_message()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString }, Ct);
        IProcessStore s = store;
        var payload = new Dictionary<string, object?> { ["amount"] = 12.5m, ["paid"] = true, ["who"] = "ann", ["lines"] = new List<int> { 1, 2 }, ["none"] = null };

        Assert.True(await s.TryBufferAsync(new BufferedMessage("pay", "k", payload, "id-1", 1_000, 0), 10, Ct));
        Assert.False(await s.TryBufferAsync(new BufferedMessage("pay", "k", null, "id-1", 1_000, 0), 20, Ct));
        Assert.True(await s.TryBufferAsync(new BufferedMessage("pay", "k", null, null, 2_000, 0), 20, Ct));

        var first = s.FindBuffered("pay", "k", 30)!;
        Assert.Equal(first, s.FindBuffered("pay", "k", 30));
        Assert.Equal(12.5m, first.Payload!["amount"]);
        Assert.Equal(true, first.Payload["paid"]);
        Assert.Equal("ann", first.Payload["who"]);
        Assert.Equal("[1,2]", ((System.Text.Json.JsonElement)first.Payload["lines"]!).GetRawText());
        Assert.Null(first.Payload["none"]);
        Assert.Equal("id-1", first.MessageId);

        // Past the first one's time to live the second is the oldest; past both, none; the id may then be seen again.
        Assert.Null(s.FindBuffered("pay", "k", 1_500)!.Payload);
        Assert.Null(s.FindBuffered("pay", "k", 2_000));
        Assert.True(await s.TryBufferAsync(new BufferedMessage("pay", "k", null, "id-1", 3_000, 0), 2_000, Ct));
    }

    private static ProcessDefinition WithLambda() => Route(ProcessExpression.FromLambda(static d => d["amount"] is decimal amount && amount > 100));

    private static ProcessDefinition Route(ProcessExpression big)
    {
        var p = ProcessBuilder.Create("lambda.route", "Route");
        p.Supplier("desk", "Desk").Inputs(Field.Number("amount"));
        p.Decision("decide", "Big?").When(big, p.End("big", "Big")).Otherwise(p.End("small", "Small"));
        return p.Build();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
