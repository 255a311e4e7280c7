using System.Collections.Concurrent;
using Npgsql;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Persistence;

namespace ProcessKit.PostgreSql;

/// <content>Definitions by version: JSON rows, a row without JSON for a definition holding C# lambdas.</content>
public sealed partial class PostgreSqlProcessStore
{
    /// <summary>Definitions read or deployed here, by id and version: a stored version never changes, so they stay valid.</summary>
    private readonly ConcurrentDictionary<(string Id, int Version), ProcessDefinition> _definitions = new();

    async ValueTask<bool> IProcessStore.SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Ready();
        try
        {
            return await SaveDefinitionAsync(definition, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private async Task<bool> SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        var key = (definition.Id, definition.Version);
        var json = definition.ContainsLambdas ? null : ProcessDefinitionJson.Write(definition, indented: false);
        var connection = await Ready().DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using (var insert = new NpgsqlCommand(Sql.InsertDefinition, connection))
            {
                insert.Parameters.AddWithValue("tenant", Tenant);
                insert.Parameters.AddWithValue("process_id", definition.Id);
                insert.Parameters.AddWithValue("version", definition.Version);
                insert.Parameters.Add(Parameters.Text("json", json));
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    _definitions[key] = definition;
                    return true;
                }
            }

            await using var select = new NpgsqlCommand(Sql.SelectDefinition, connection);
            select.Parameters.AddWithValue("tenant", Tenant);
            select.Parameters.AddWithValue("process_id", definition.Id);
            select.Parameters.AddWithValue("version", definition.Version);
            var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (IsSame(definition, json, stored))
            {
                _definitions.TryAdd(key, definition);
                return false;
            }

            throw new InvalidCommandException(
                ProcessErrorCodes.VersionExists,
                $"Version {definition.Version} of the process '{definition.Id}' is already deployed with other content; deploy the change as a new version.");
        }
    }

    /// <summary>Whether a definition matches what is stored under its version (for one with lambdas: what this node deployed, if anything).</summary>
    private bool IsSame(ProcessDefinition definition, string? json, string? stored)
    {
        if (json is null || stored is null)
        {
            // A row without JSON reserves a version whose definition holds lambdas: every node deploys it itself, and
            // only a node that knows the content can tell a difference.
            return json is null && stored is null
                && (!_definitions.TryGetValue((definition.Id, definition.Version), out var known) || known.Equals(definition));
        }

        return string.Equals(json, stored, StringComparison.Ordinal) || ProcessDefinitionJson.Read(stored).Equals(definition);
    }

    ProcessDefinition? IProcessStore.FindDefinition(string processId, int? version)
    {
        if (version is { } v && _definitions.TryGetValue((processId, v), out var known))
            return known;
        var infrastructure = Ready();
        try
        {
            using var connection = infrastructure.DataSource.OpenConnection();
            using var command = new NpgsqlCommand(version is null ? Sql.SelectNewestDefinition : Sql.SelectDefinitionVersion, connection);
            command.Parameters.AddWithValue("tenant", Tenant);
            command.Parameters.AddWithValue("process_id", processId);
            if (version is not null)
                command.Parameters.AddWithValue("version", version.Value);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Remember(processId, reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<IReadOnlyList<ProcessDefinition>> IProcessStore.ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        try
        {
            var result = new List<ProcessDefinition>();
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectDefinitions, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (Remember(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)) is { } definition)
                        result.Add(definition);
                }
            }

            return result;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>A stored definition, parsed once; for a row without JSON the one this node deployed, or null when it deployed none.</summary>
    private ProcessDefinition? Remember(string processId, int version, string? json)
    {
        if (_definitions.TryGetValue((processId, version), out var known))
            return known;
        if (json is null)
            return null;
        return _definitions.GetOrAdd((processId, version), ProcessDefinitionJson.Read(json));
    }
}
