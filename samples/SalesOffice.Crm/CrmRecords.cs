using System.Globalization;

namespace ProcessKit.Samples.SalesOffice.Crm;

/// <summary>What a contact says about who made it.</summary>
internal sealed record LeadContact(string Name, string? Phone, string? Email, string Channel, string? Request);

/// <summary>A stored lead: its id and, for an existing client, the client's contact id.</summary>
internal sealed record LeadRecord(string LeadId, string? ClientId);

/// <summary>A stored deal.</summary>
internal sealed record DealRecord(string DealId, string ContactId, string? CompanyId, string? DispatcherId);

/// <summary>How many rows the CRM holds.</summary>
internal sealed record CrmCounts(long Leads, long Deals, long Contacts, long Companies);

/// <summary>A simulated day as recorded in the database.</summary>
internal sealed record SalesDayRecord(DateTimeOffset StartedAt, DateTimeOffset EndedAt, int Seed, string Contacts);

/// <summary>What the CRM holds, as a page lists it.</summary>
internal sealed record CrmOverview(IReadOnlyList<CompanyRow> Companies, IReadOnlyList<ContactRow> Contacts, IReadOnlyList<LeadRow> Leads, IReadOnlyList<DealRow> Deals);

/// <summary>A company of the CRM.</summary>
internal sealed record CompanyRow(string CompanyId, string Name);

/// <summary>A contact of the CRM, with its company's name.</summary>
internal sealed record ContactRow(string ContactId, string Name, string? Phone, string? Email, string? Company);

/// <summary>A lead: who made contact, how, when, the process instance it started and, for an existing client, the client.</summary>
internal sealed record LeadRow(string LeadId, long InstanceId, string ContactName, string Channel, string? Request, string? ClientId, DateTimeOffset ReceivedAt);

/// <summary>A deal: its lead, the client and company, the amount and the dispatcher responsible.</summary>
internal sealed record DealRow(string DealId, string LeadId, string Contact, string? Company, decimal? Amount, string? DispatcherId);

/// <summary>The CRM's ids as the process sees them: a prefix and the row id (<c>L-3</c>, <c>D-1</c>).</summary>
internal static class CrmIds
{
    public const string LeadPrefix = "L-";
    public const string DealPrefix = "D-";
    public const string ContactPrefix = "P-";
    public const string CompanyPrefix = "C-";

    public static string Lead(long id) => LeadPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static string Deal(long id) => DealPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static string Contact(long id) => ContactPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static string Company(long id) => CompanyPrefix + id.ToString(CultureInfo.InvariantCulture);

    public static long Parse(string id, string prefix) =>
        id.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{id}' is not an id starting with '{prefix}'.", nameof(id));
}
