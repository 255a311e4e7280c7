namespace ProcessKit.Samples.SalesOffice.Crm;

/// <summary>The CRM's tables (prefixed <c>crm_</c>, beside the process store's own) and the clients a new CRM starts with.</summary>
internal static class CrmSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS crm_companies (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        ) STRICT;
        CREATE TABLE IF NOT EXISTS crm_contacts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT,
            email TEXT,
            company_id INTEGER
        ) STRICT;
        CREATE INDEX IF NOT EXISTS crm_contacts_phone ON crm_contacts (phone);
        CREATE INDEX IF NOT EXISTS crm_contacts_email ON crm_contacts (email COLLATE NOCASE);
        CREATE TABLE IF NOT EXISTS crm_leads (
            id INTEGER PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            instance_id INTEGER NOT NULL,
            contact_name TEXT NOT NULL,
            phone TEXT,
            email TEXT,
            channel TEXT NOT NULL,
            request TEXT,
            client_id INTEGER,
            received_ticks INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS crm_deals (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL UNIQUE,
            contact_id INTEGER NOT NULL,
            company_id INTEGER,
            amount REAL,
            needs TEXT,
            dispatcher_id TEXT,
            created_ticks INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS sales_days (
            id INTEGER PRIMARY KEY,
            started_ticks INTEGER NOT NULL,
            ended_ticks INTEGER NOT NULL,
            seed INTEGER NOT NULL,
            contacts TEXT NOT NULL
        ) STRICT;
        CREATE TABLE IF NOT EXISTS sales_play_clock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            now_ticks INTEGER NOT NULL
        ) STRICT;
        """;

    /// <summary>Mail providers whose domain names no company.</summary>
    public static readonly IReadOnlySet<string> PrivateMailDomains = new HashSet<string>(StringComparer.Ordinal) { "mail.example", "post.example" };

    /// <summary>The clients the company already has: a contact from one of them becomes a deal at once.</summary>
    public static readonly IReadOnlyList<KnownClient> KnownClients =
    [
        new("Ingrid Holm", "+46 8 555 0101", "ingrid@nordtimber.example", "Nord Timber"),
        new("Pablo Ruiz", "+34 91 555 0202", "pablo@ruizhermanos.example", "Ruiz Hermanos"),
        new("Aiko Sato", "+81 3 5555 0303", "aiko@sato-design.example", "Sato Design"),
        new("Tom Becker", "+49 30 5555 0404", "tom.becker@mail.example", null),
    ];
}

/// <summary>A client the CRM starts with.</summary>
internal sealed record KnownClient(string Name, string? Phone, string? Email, string? Company);
