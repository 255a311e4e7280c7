using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Schema;

/// <summary>
/// The store's schema, as numbered migrations. A file records the last migration applied in
/// <c>PRAGMA user_version</c> and marks itself as a ProcessKit store with <c>PRAGMA application_id</c>.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Every table is STRICT and has the tenant first in its key; times are UTC
/// ticks. A history row holds the events one commit appended, packed (see <c>HistoryPack</c>), keyed by
/// the sequence number of its first event. Rows read by key (history, seen messages, id blocks) are WITHOUT ROWID tables; rows
/// holding blobs keep a rowid so that the blob stays out of the key's b-tree, and subscriptions keep one
/// because it orders the waits for one message key oldest first. A definition's JSON is null when the
/// definition holds C# lambdas (it cannot be written as JSON; the application deploys it at every start).
/// There are no foreign keys: the engine writes every related row in one transaction.
/// </remarks>
internal static class SqliteMigrations
{
    /// <summary>The value of <c>PRAGMA application_id</c> in a ProcessKit store ("PkSt").</summary>
    public const int ApplicationId = 0x506B5374;

    /// <summary>Schema v1 (issue 4). Not shipped yet, so it may still change in place.</summary>
    private const string V1 = """
        CREATE TABLE definitions (
            tenant TEXT NOT NULL,
            process_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            json TEXT NULL,
            deployed_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, process_id, version)
        ) STRICT;

        CREATE TABLE instances (
            tenant TEXT NOT NULL,
            id INTEGER NOT NULL,
            process_id TEXT NOT NULL,
            process_version INTEGER NOT NULL,
            version INTEGER NOT NULL,
            state INTEGER NOT NULL,
            business_key TEXT NULL,
            parent_id INTEGER NULL,
            started_ticks INTEGER NOT NULL,
            ended_ticks INTEGER NULL,
            state_blob BLOB NOT NULL,
            history_count INTEGER NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT;

        CREATE TABLE history (
            tenant TEXT NOT NULL,
            instance_id INTEGER NOT NULL,
            first_seq INTEGER NOT NULL,
            count INTEGER NOT NULL,
            events BLOB NOT NULL,
            PRIMARY KEY (tenant, instance_id, first_seq)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE tasks (
            tenant TEXT NOT NULL,
            id INTEGER NOT NULL,
            instance_id INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            step_instance INTEGER NOT NULL,
            state INTEGER NOT NULL,
            role TEXT NOT NULL,
            assigned_to TEXT NULL,
            claimed_by TEXT NULL,
            created_ticks INTEGER NOT NULL,
            claimed_ticks INTEGER NULL,
            due_ticks INTEGER NULL,
            closed_ticks INTEGER NULL,
            outcome TEXT NULL,
            body BLOB NOT NULL,
            PRIMARY KEY (tenant, id)
        ) STRICT;
        CREATE INDEX ix_tasks_state_role_due ON tasks (tenant, state, role, due_ticks);
        CREATE INDEX ix_tasks_assigned_to ON tasks (tenant, assigned_to);
        CREATE INDEX ix_tasks_claimed_by ON tasks (tenant, claimed_by);
        CREATE INDEX ix_tasks_instance ON tasks (tenant, instance_id);

        CREATE TABLE subscriptions (
            tenant TEXT NOT NULL,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            instance_id INTEGER NOT NULL,
            node INTEGER NOT NULL,
            step_instance INTEGER NOT NULL,
            PRIMARY KEY (tenant, name, key, instance_id, step_instance)
        ) STRICT;

        CREATE TABLE buffered_messages (
            tenant TEXT NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            payload BLOB NULL,
            message_id TEXT NULL,
            expires_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, seq)
        ) STRICT;
        CREATE INDEX ix_buffered_messages_name_key ON buffered_messages (tenant, name, key);

        CREATE TABLE seen_messages (
            tenant TEXT NOT NULL,
            message_id TEXT NOT NULL,
            expires_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, message_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE timers (
            tenant TEXT NOT NULL,
            id INTEGER NOT NULL,
            instance_id INTEGER NOT NULL,
            node INTEGER NOT NULL,
            step_instance INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            idx INTEGER NOT NULL,
            due_ticks INTEGER NOT NULL,
            lease_owner TEXT NULL,
            lease_expires INTEGER NULL,
            attempt INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant, id)
        ) STRICT;
        CREATE INDEX ix_timers_due ON timers (tenant, due_ticks);

        CREATE TABLE incidents (
            tenant TEXT NOT NULL,
            instance_id INTEGER NOT NULL,
            step_instance INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            message TEXT NOT NULL,
            raised_ticks INTEGER NOT NULL,
            PRIMARY KEY (tenant, instance_id, step_instance)
        ) STRICT;

        CREATE TABLE id_blocks (
            tenant TEXT NOT NULL,
            kind TEXT NOT NULL,
            next_id INTEGER NOT NULL,
            PRIMARY KEY (tenant, kind)
        ) STRICT, WITHOUT ROWID;
        """;

    /// <summary>
    /// Schema v2 (session 11): the start requests that make a start safe to repeat (a request id names the instance it
    /// started, with a fingerprint of what was asked), and an index on the leases, so that a timer whose lease ran out
    /// is found without a scan.
    /// </summary>
    private const string V2 = """
        CREATE TABLE start_requests (
            tenant TEXT NOT NULL,
            request_id TEXT NOT NULL,
            instance_id INTEGER NOT NULL,
            fingerprint BLOB NOT NULL,
            PRIMARY KEY (tenant, request_id)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX ix_timers_lease ON timers (tenant, lease_expires) WHERE lease_owner IS NOT NULL;
        """;

    /// <summary>
    /// Schema v3 (session 12): an index on the instances by process, version and id, which the instance listing and the
    /// report by process walk page by page; and the time of each start request (its instance's start, filled in for the
    /// rows already stored), indexed, so that the requests past their retention are purged oldest first without a scan.
    /// </summary>
    private const string V3 = """
        CREATE INDEX ix_instances_process ON instances (tenant, process_id, process_version, id);

        ALTER TABLE start_requests ADD COLUMN created_ticks INTEGER NOT NULL DEFAULT 0;
        UPDATE start_requests SET created_ticks = coalesce(
            (SELECT i.started_ticks FROM instances i WHERE i.tenant = start_requests.tenant AND i.id = start_requests.instance_id), 0);
        CREATE INDEX ix_start_requests_created ON start_requests (tenant, created_ticks);
        """;

    /// <summary>The migrations in order; the one at index <c>i</c> brings a file from version <c>i</c> to <c>i + 1</c>.</summary>
    private static readonly string[] Steps = [V1, V2, V3];

    /// <summary>The schema version this code writes and reads.</summary>
    public static int CurrentVersion => Steps.Length;

    /// <summary>
    /// Applies the migrations the file lacks, in one immediate transaction, and records the new version.
    /// Re-reads the version inside the transaction, so two processes opening a new file at once apply
    /// each migration once. Does nothing (and writes nothing) when the file is current.
    /// </summary>
    /// <returns>The version the file had before.</returns>
    public static int Apply(SqliteConnection connection) => Apply(connection, CurrentVersion);

    /// <summary>Applies the migrations up to <paramref name="target"/> only: for tests that make a file of an earlier version.</summary>
    internal static int Apply(SqliteConnection connection, int target)
    {
        if (ReadVersion(connection) == target)
        {
            return target;
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        var before = ReadVersion(connection, transaction);
        if (before > CurrentVersion)
        {
            throw SchemaNewer(connection.DataSource, before);
        }

        for (var version = before; version < target; version++)
        {
            Execute(connection, transaction, Steps[version]);
        }

        if (before < target)
        {
            // Pragmas take no parameters; both values are integers of this code, not input.
            Execute(connection, transaction, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {target};");
        }

        transaction.Commit();
        return before;
    }

    /// <summary>Reads <c>PRAGMA user_version</c>.</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        ReadInt(connection, transaction, "PRAGMA user_version;");

    /// <summary>Reads <c>PRAGMA application_id</c>.</summary>
    public static int ReadApplicationId(SqliteConnection connection) =>
        ReadInt(connection, null, "PRAGMA application_id;");

    /// <summary>The error for a file whose schema is newer than this code.</summary>
    public static ProcessStoreException SchemaNewer(string file, int fileVersion) => new(
        ProcessErrorCodes.StoreSchemaTooNew,
        $"The store '{file}' has schema version {fileVersion}, but this version of ProcessKit.Sqlite knows versions up to {CurrentVersion}. " +
        "The file was written by a newer ProcessKit and was left unchanged: upgrade the ProcessKit packages of this application, or open a copy made before the upgrade.");

    private static int ReadInt(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
