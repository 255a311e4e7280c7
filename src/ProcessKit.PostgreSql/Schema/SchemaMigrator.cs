using Npgsql;

namespace ProcessKit.PostgreSql.Schema;

/// <summary>
/// Brings a database schema to <see cref="Migrations.Latest"/>: creates the schema and its version table when missing,
/// applies the migrations the schema lacks, and refuses a schema newer than this code. Thread-safe, and safe across
/// processes: every run holds a transaction-scoped advisory lock keyed by the schema name, so nodes starting at once
/// migrate one after the other and the later ones find nothing left to do. The whole run is one transaction
/// (PostgreSQL DDL is transactional): a failed migration leaves the schema as it was.
/// </summary>
internal sealed class SchemaMigrator(NpgsqlDataSource dataSource, StoreSchema schema)
{
    private readonly IReadOnlyList<Migration> _migrations = Migrations.All;

    /// <summary>For tests: a migrator that knows other migrations than the shipped ones.</summary>
    internal SchemaMigrator(NpgsqlDataSource dataSource, StoreSchema schema, IReadOnlyList<Migration> migrations)
        : this(dataSource, schema) => _migrations = migrations;

    /// <summary>Applies the missing migrations; returns the version found and the version left.</summary>
    /// <exception cref="ProcessStoreException">The schema was migrated by a newer version of this package (<see cref="ProcessErrorCodes.StoreSchemaTooNew"/>).</exception>
    public async Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken)
    {
        var latest = _migrations[^1].Version;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@name, 0))", connection, transaction))
                {
                    command.Parameters.AddWithValue("name", schema.MigrationLockName);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await EnsureSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var found = await CurrentVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (found > latest)
                {
                    throw new ProcessStoreException(
                        ProcessErrorCodes.StoreSchemaTooNew,
                        $"The PostgreSQL schema \"{schema.Name}\" is at version {found}, newer than version {latest}, the newest this " +
                        "ProcessKit.PostgreSql knows: it was migrated by a newer release. Upgrade the package on this node, or use another schema.");
                }

                foreach (var migration in _migrations)
                {
                    if (migration.Version <= found)
                        continue;
                    await using (var ddl = new NpgsqlCommand(migration.Sql(schema), connection, transaction))
                        await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await using var record = new NpgsqlCommand(
                        $"INSERT INTO {schema.Table("schema_migrations")} (version, description) VALUES (@version, @description)",
                        connection,
                        transaction);
                    record.Parameters.AddWithValue("version", migration.Version);
                    record.Parameters.AddWithValue("description", migration.Description);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new MigrationResult(found, Math.Max(found, latest));
            }
        }
    }

    /// <summary>Reads the schema's version without changing anything; 0 when the schema or its version table is missing.</summary>
    public async Task<int> ReadVersionAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
            exists.Parameters.AddWithValue("table", schema.Table("schema_migrations"));
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                return 0;
            return await CurrentVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Looked up first: CREATE SCHEMA IF NOT EXISTS needs the CREATE right on the database even when the schema
        // exists, and an application role that only owns its schema must still start.
        bool exists;
        await using (var lookup = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @name)", connection, transaction))
        {
            lookup.Parameters.AddWithValue("name", schema.Name);
            exists = await lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }

        var sql = (exists ? "" : $"CREATE SCHEMA {schema.Quoted};\n") +
            $"""
            CREATE TABLE IF NOT EXISTS {schema.Table("schema_migrations")} (
                version integer PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now());
            """;
        await using var create = new NpgsqlCommand(sql, connection, transaction);
        await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> CurrentVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema.Table("schema_migrations")}", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
