using System.Buffers;
using System.Text.Json;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Rows;

namespace ProcessKit.PostgreSql;

/// <content>Messages: subscriptions, buffered messages (payload as JSON, oldest first) and message ids seen.</content>
public sealed partial class PostgreSqlProcessStore
{
    async ValueTask<Subscription?> IProcessStore.FindSubscriptionAsync(string name, string key, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectSubscription, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("name", name);
                command.Parameters.AddWithValue("key", key);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new Subscription(name, key, new InstanceId(reader.GetInt64(0)), reader.GetInt32(1), reader.GetInt32(2))
                    : null;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    BufferedMessage? IProcessStore.FindBuffered(string name, string key, long nowTicks)
    {
        var infrastructure = Ready();
        SawNow(nowTicks);
        try
        {
            using var connection = infrastructure.DataSource.OpenConnection();
            using var command = new NpgsqlCommand(Sql.SelectBuffered, connection);
            command.Parameters.AddWithValue("tenant", Tenant);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("now", nowTicks);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
                return null;
            var seq = reader.GetInt64(0);
            return new BufferedMessage(
                name,
                key,
                reader.IsDBNull(1) ? null : ReadPayload(seq, reader.GetFieldValue<byte[]>(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt64(3),
                seq);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<bool> IProcessStore.HasSeenMessageAsync(string messageId, long nowTicks, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        SawNow(nowTicks);
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectSeen, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("message_id", messageId);
                command.Parameters.AddWithValue("now", nowTicks);
                return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<bool> IProcessStore.TryBufferAsync(BufferedMessage message, long nowTicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var infrastructure = Ready();
        SawNow(nowTicks);
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var batch = new NpgsqlBatch(connection);
                if (message.MessageId is { } id)
                {
                    // The id is seen as long as the message is kept, as in memory; an unexpired one fails the guard.
                    var seen = new NpgsqlBatchCommand(Sql.UpsertSeen);
                    seen.Parameters.AddWithValue("tenant", Tenant);
                    seen.Parameters.AddWithValue("message_id", id);
                    seen.Parameters.AddWithValue("expires_ticks", message.ExpiresTicks);
                    seen.Parameters.AddWithValue("now", nowTicks);
                    batch.BatchCommands.Add(seen);
                }

                var insert = new NpgsqlBatchCommand(Sql.InsertBuffered);
                insert.Parameters.AddWithValue("tenant", Tenant);
                insert.Parameters.AddWithValue("name", message.Name);
                insert.Parameters.AddWithValue("key", message.Key);
                insert.Parameters.Add(Parameters.Bytea("payload", message.Payload is { } payload ? WritePayload(payload) : null));
                insert.Parameters.Add(Parameters.Text("message_id", message.MessageId));
                insert.Parameters.AddWithValue("expires_ticks", message.ExpiresTicks);
                batch.BatchCommands.Add(insert);
                return await ExecuteGuardedAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private static byte[] WritePayload(IReadOnlyDictionary<string, object?> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
            InstanceCodec.WriteValue(json, payload, "payload");
        return buffer.WrittenSpan.ToArray();
    }

    private static StoredPayload ReadPayload(long seq, byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
            values[property.Name] = InstanceCodec.Untyped(property.Value);
        return new StoredPayload(seq, values);
    }
}
