using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Samples.SalesOffice.Crm;

/// <summary>
/// The sample's small CRM (companies, contacts, leads, deals) in its own tables of the same SQLite file
/// the process store uses. Every statement is parameterized; every write the process handlers make is
/// idempotent on the step run's idempotency key, so a handler that runs again changes nothing.
/// </summary>
/// <remarks>
/// Thread-safe: each call opens its own connection (no pooling, so the file is closed when the call
/// ends). Create the tables after the process store opened the file: the store refuses a file that has
/// tables but is not marked as a ProcessKit file yet.
/// </remarks>
internal sealed class CrmDatabase
{
    /// <summary>The dispatchers deals are shared between (fewest deals first).</summary>
    private readonly IReadOnlyList<string> _dispatchers;

    public CrmDatabase(string databasePath, IReadOnlyList<string> dispatchers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(dispatchers);
        if (dispatchers.Count == 0)
        {
            throw new ArgumentException("At least one dispatcher is needed.", nameof(dispatchers));
        }

        DatabasePath = databasePath;
        _dispatchers = dispatchers;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The file.</summary>
    public string DatabasePath { get; }

    /// <summary>The connection string of the CRM's connections.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the CRM tables if missing and, in a new CRM, the clients the company already has.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, CrmSchema.Create, cancellationToken);
        var existing = await ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM crm_contacts", cancellationToken);
        if (existing == 0)
        {
            foreach (var client in CrmSchema.KnownClients)
            {
                long? companyId = null;
                if (client.Company is { } company)
                {
                    companyId = await ScalarAsync<long>(connection, transaction, "INSERT INTO crm_companies (name) VALUES ($name) RETURNING id", cancellationToken, ("$name", company));
                }

                await ExecuteAsync(
                    connection,
                    transaction,
                    "INSERT INTO crm_contacts (name, phone, email, company_id) VALUES ($name, $phone, $email, $company)",
                    cancellationToken,
                    ("$name", client.Name),
                    ("$phone", client.Phone),
                    ("$email", client.Email),
                    ("$company", companyId));
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the file holds the CRM's tables (without creating anything).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath))
        {
            return false;
        }

        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        return await ScalarAsync<long>(connection, null, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'crm_leads'", cancellationToken) == 1;
    }

    /// <summary>
    /// Stores an incoming contact as a lead and looks the client up by phone or email. Run again with
    /// the same key, it returns the lead stored the first time.
    /// </summary>
    public async Task<LeadRecord> RegisterLeadAsync(string idempotencyKey, long instanceId, LeadContact contact, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var clientId = await ScalarAsync<long?>(
            connection,
            transaction,
            """
            SELECT id FROM crm_contacts
            WHERE ($phone IS NOT NULL AND phone = $phone) OR ($email IS NOT NULL AND email = $email COLLATE NOCASE)
            ORDER BY id LIMIT 1
            """,
            cancellationToken,
            ("$phone", Blank(contact.Phone)),
            ("$email", Blank(contact.Email)));
        await ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO crm_leads (idempotency_key, instance_id, contact_name, phone, email, channel, request, client_id, received_ticks)
            VALUES ($key, $instance, $name, $phone, $email, $channel, $request, $client, $received)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            cancellationToken,
            ("$key", idempotencyKey),
            ("$instance", instanceId),
            ("$name", contact.Name),
            ("$phone", Blank(contact.Phone)),
            ("$email", Blank(contact.Email)),
            ("$channel", contact.Channel),
            ("$request", contact.Request),
            ("$client", clientId),
            ("$received", receivedAt.UtcTicks));
        await using var read = Command(connection, transaction, "SELECT id, client_id FROM crm_leads WHERE idempotency_key = $key", ("$key", idempotencyKey));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var lead = new LeadRecord(CrmIds.Lead(reader.GetInt64(0)), reader.IsDBNull(1) ? null : CrmIds.Contact(reader.GetInt64(1)));
        await reader.DisposeAsync();
        await transaction.CommitAsync(cancellationToken);
        return lead;
    }

    /// <summary>Turns the lead of an existing client into a deal with that client's contact and company; at most one deal per lead.</summary>
    public async Task<DealRecord> ConvertLeadAsync(string leadId, string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lead = CrmIds.Parse(leadId, CrmIds.LeadPrefix);
        var contact = CrmIds.Parse(clientId, CrmIds.ContactPrefix);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(
            connection,
            transaction,
            """
            INSERT INTO crm_deals (lead_id, contact_id, company_id, created_ticks)
            SELECT $lead, c.id, c.company_id, $now FROM crm_contacts c WHERE c.id = $contact
            ON CONFLICT (lead_id) DO NOTHING
            """,
            cancellationToken,
            ("$lead", lead),
            ("$contact", contact),
            ("$now", now.UtcTicks));
        var deal = await ReadDealAsync(connection, transaction, lead, cancellationToken)
            ?? throw new InvalidOperationException($"The client {clientId} of lead {leadId} is not in the CRM.");
        await transaction.CommitAsync(cancellationToken);
        return deal;
    }

    /// <summary>
    /// Turns a qualified lead into a deal, a new contact and (when the email names a company domain) a
    /// company, in one transaction; at most one deal per lead, so running it again returns the same rows.
    /// </summary>
    public async Task<DealRecord> CreateDealAsync(string leadId, decimal? amount, string? needs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lead = CrmIds.Parse(leadId, CrmIds.LeadPrefix);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await ReadDealAsync(connection, transaction, lead, cancellationToken) is { } existing)
        {
            await transaction.CommitAsync(cancellationToken);
            return existing;
        }

        string name;
        string? phone;
        string? email;
        await using (var read = Command(connection, transaction, "SELECT contact_name, phone, email FROM crm_leads WHERE id = $lead", ("$lead", lead)))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"The lead {leadId} is not in the CRM.");
            }

            name = reader.GetString(0);
            phone = reader.IsDBNull(1) ? null : reader.GetString(1);
            email = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        long? companyId = null;
        if (CompanyName(email) is { } company)
        {
            companyId = await ScalarAsync<long?>(connection, transaction, "SELECT id FROM crm_companies WHERE name = $name", cancellationToken, ("$name", company))
                ?? await ScalarAsync<long>(connection, transaction, "INSERT INTO crm_companies (name) VALUES ($name) RETURNING id", cancellationToken, ("$name", company));
        }

        var contactId = await ScalarAsync<long>(
            connection,
            transaction,
            "INSERT INTO crm_contacts (name, phone, email, company_id) VALUES ($name, $phone, $email, $company) RETURNING id",
            cancellationToken,
            ("$name", name),
            ("$phone", phone),
            ("$email", email),
            ("$company", companyId));
        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO crm_deals (lead_id, contact_id, company_id, amount, needs, created_ticks) VALUES ($lead, $contact, $company, $amount, $needs, $now)",
            cancellationToken,
            ("$lead", lead),
            ("$contact", contactId),
            ("$company", companyId),
            ("$amount", amount is { } a ? (double)a : null),
            ("$needs", needs),
            ("$now", now.UtcTicks));
        var deal = (await ReadDealAsync(connection, transaction, lead, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return deal;
    }

    /// <summary>Makes the dispatcher with the fewest deals (then the first in the list) responsible for a deal, once.</summary>
    public async Task<string> AssignDispatcherAsync(string dealId, CancellationToken cancellationToken)
    {
        var deal = CrmIds.Parse(dealId, CrmIds.DealPrefix);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var assigned = await ScalarAsync<string?>(connection, transaction, "SELECT dispatcher_id FROM crm_deals WHERE id = $deal", cancellationToken, ("$deal", deal));
        if (assigned is null)
        {
            var load = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var count = Command(connection, transaction, "SELECT dispatcher_id, count(*) FROM crm_deals WHERE dispatcher_id IS NOT NULL GROUP BY dispatcher_id"))
            {
                await using var reader = await count.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    load[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            assigned = _dispatchers.MinBy(d => load.GetValueOrDefault(d))!;
            var changed = await ExecuteAsync(connection, transaction, "UPDATE crm_deals SET dispatcher_id = $dispatcher WHERE id = $deal AND dispatcher_id IS NULL", cancellationToken, ("$dispatcher", assigned), ("$deal", deal));
            if (changed != 1)
            {
                throw new InvalidOperationException($"The deal {dealId} is not in the CRM.");
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return assigned;
    }

    /// <summary>The instance ids of every lead, in the order the leads came in.</summary>
    public async Task<IReadOnlyList<long>> LeadInstancesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        await using var command = Command(connection, null, "SELECT instance_id FROM crm_leads ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<long>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>Counts the CRM's rows, for the report and the tests.</summary>
    public async Task<CrmCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        return new CrmCounts(
            await ScalarAsync<long>(connection, null, "SELECT count(*) FROM crm_leads", cancellationToken),
            await ScalarAsync<long>(connection, null, "SELECT count(*) FROM crm_deals", cancellationToken),
            await ScalarAsync<long>(connection, null, "SELECT count(*) FROM crm_contacts", cancellationToken),
            await ScalarAsync<long>(connection, null, "SELECT count(*) FROM crm_companies", cancellationToken));
    }

    /// <summary>The deal made from a lead, if any.</summary>
    public async Task<DealRecord?> FindDealByLeadAsync(string leadId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        return await ReadDealAsync(connection, null, CrmIds.Parse(leadId, CrmIds.LeadPrefix), cancellationToken);
    }

    /// <summary>Records a simulated day (start, end, seed, contacts file) so that <c>report</c> can measure running instances at its end.</summary>
    public async Task RecordDayAsync(SalesDayRecord day, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(
            connection,
            null,
            "INSERT INTO sales_days (started_ticks, ended_ticks, seed, contacts) VALUES ($start, $end, $seed, $contacts)",
            cancellationToken,
            ("$start", day.StartedAt.UtcTicks),
            ("$end", day.EndedAt.UtcTicks),
            ("$seed", day.Seed),
            ("$contacts", day.Contacts));
    }

    /// <summary>
    /// Everything the CRM holds, for a page that lists it: companies and contacts by name, leads and deals
    /// newest first (at most <paramref name="limit"/> of each).
    /// </summary>
    public async Task<CrmOverview> ReadOverviewAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        var companies = await ListAsync(connection, "SELECT id, name FROM crm_companies ORDER BY name, id LIMIT $limit", limit, static r => new CompanyRow(CrmIds.Company(r.GetInt64(0)), r.GetString(1)), cancellationToken);
        var contacts = await ListAsync(
            connection,
            "SELECT c.id, c.name, c.phone, c.email, k.name FROM crm_contacts c LEFT JOIN crm_companies k ON k.id = c.company_id ORDER BY c.name, c.id LIMIT $limit",
            limit,
            static r => new ContactRow(CrmIds.Contact(r.GetInt64(0)), r.GetString(1), NullableText(r, 2), NullableText(r, 3), NullableText(r, 4)),
            cancellationToken);
        var leads = await ListAsync(
            connection,
            "SELECT id, instance_id, contact_name, channel, request, client_id, received_ticks FROM crm_leads ORDER BY id DESC LIMIT $limit",
            limit,
            static r => new LeadRow(
                CrmIds.Lead(r.GetInt64(0)),
                r.GetInt64(1),
                r.GetString(2),
                r.GetString(3),
                NullableText(r, 4),
                r.IsDBNull(5) ? null : CrmIds.Contact(r.GetInt64(5)),
                new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero)),
            cancellationToken);
        var deals = await ListAsync(
            connection,
            "SELECT d.id, d.lead_id, c.name, k.name, d.amount, d.dispatcher_id FROM crm_deals d JOIN crm_contacts c ON c.id = d.contact_id LEFT JOIN crm_companies k ON k.id = d.company_id ORDER BY d.id DESC LIMIT $limit",
            limit,
            static r => new DealRow(
                CrmIds.Deal(r.GetInt64(0)),
                CrmIds.Lead(r.GetInt64(1)),
                r.GetString(2),
                NullableText(r, 3),
                r.IsDBNull(4) ? null : (decimal)r.GetDouble(4),
                NullableText(r, 5)),
            cancellationToken);
        return new CrmOverview(companies, contacts, leads, deals);
    }

    /// <summary>The last simulated day recorded, if any.</summary>
    public async Task<SalesDayRecord?> LastDayAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        await using var command = Command(connection, null, "SELECT started_ticks, ended_ticks, seed, contacts FROM sales_days ORDER BY id DESC LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SalesDayRecord(new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero), reader.GetInt32(2), reader.GetString(3))
            : null;
    }

    /// <summary>Where the last play session left the clock, if one did.</summary>
    public async Task<DateTimeOffset?> ReadPlayClockAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, readOnly: true);
        var ticks = await ScalarAsync<long?>(connection, null, "SELECT now_ticks FROM sales_play_clock WHERE id = 1", cancellationToken);
        return ticks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    /// <summary>Keeps the play clock, so that the next session goes on from there (synchronous: called from the console's clock callback).</summary>
    public void WritePlayClock(DateTimeOffset now)
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = Command(connection, null, "INSERT INTO sales_play_clock (id, now_ticks) VALUES (1, $now) ON CONFLICT (id) DO UPDATE SET now_ticks = excluded.now_ticks", ("$now", now.UtcTicks));
        command.ExecuteNonQuery();
    }

    private static async Task<DealRecord?> ReadDealAsync(SqliteConnection connection, SqliteTransaction? transaction, long lead, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT id, contact_id, company_id, dispatcher_id FROM crm_deals WHERE lead_id = $lead", ("$lead", lead));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DealRecord(
                CrmIds.Deal(reader.GetInt64(0)),
                CrmIds.Contact(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : CrmIds.Company(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3))
            : null;
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(SqliteConnection connection, string sql, int limit, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, sql, ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static string? NullableText(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>A company named after the email's domain, unless it is a private mail provider's.</summary>
    private static string? CompanyName(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        if (at < 0)
        {
            return null;
        }

        var domain = email![(at + 1)..].ToLowerInvariant();
        return CrmSchema.PrivateMailDomains.Contains(domain) ? null : domain;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool readOnly = false)
    {
        var connection = new SqliteConnection(readOnly
            ? new SqliteConnectionStringBuilder(ConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString()
            : ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        if (value is null or DBNull)
        {
            return default!;
        }

        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }
}
