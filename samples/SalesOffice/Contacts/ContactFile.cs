using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessKit.Samples.SalesOffice.Contacts;

/// <summary>One incoming contact of a day: when it arrives and what the client says.</summary>
internal sealed record IncomingContact(
    string Id,
    DateTimeOffset At,
    string Channel,
    string Name,
    string? Phone,
    string? Email,
    string? Request,
    DateTimeOffset? RequestedDate);

/// <summary>A day of contacts: the date and the contacts in the order they arrive.</summary>
internal sealed record ContactDay(DateOnly Date, IReadOnlyList<IncomingContact> Contacts)
{
    /// <summary>Midnight (UTC) of the day.</summary>
    public DateTimeOffset Midnight => new(Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>
/// Reads a day of contacts from JSON:
/// <c>{ "date": "2026-03-02", "contacts": [ { "id": "c01", "at": "08:05", "channel": "webForm", "name": "...",
/// "phone": "...", "email": "...", "request": "...", "requestedDate": "2026-03-12" } ] }</c>.
/// <c>at</c> is the time of day (UTC, <c>HH:mm</c> or <c>HH:mm:ss</c>); <c>channel</c> is <c>call</c>,
/// <c>email</c> or <c>webForm</c>; <c>phone</c>, <c>email</c>, <c>request</c> and <c>requestedDate</c> are optional.
/// </summary>
internal static class ContactFile
{
    /// <summary>The day that ships with the sample, beside the program.</summary>
    public static string DefaultPath { get; } = Path.Combine(AppContext.BaseDirectory, "contacts", "default-day.json");

    public static readonly IReadOnlySet<string> Channels = new HashSet<string>(StringComparer.Ordinal) { "call", "email", "webForm" };

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>Reads and checks a file.</summary>
    /// <exception cref="SalesOfficeException">The file cannot be read or is not a day of contacts (the message says where).</exception>
    public static ContactDay Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SalesOfficeException($"cannot read the contacts file '{path}': {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses and checks the text of a file.</summary>
    /// <exception cref="SalesOfficeException">The text is not a day of contacts.</exception>
    public static ContactDay Parse(string json, string source)
    {
        DayJson? day;
        try
        {
            day = JsonSerializer.Deserialize<DayJson>(json, Options);
        }
        catch (JsonException e)
        {
            throw new SalesOfficeException($"the contacts file '{source}' is not valid JSON of a day of contacts: {e.Message}");
        }

        if (day?.Date is not { } dateText || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new SalesOfficeException($"the contacts file '{source}' needs a \"date\" like \"2026-03-02\".");
        }

        var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var contacts = new List<IncomingContact>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var c in day.Contacts ?? [])
        {
            var where = $"the contacts file '{source}', contact {index + 1}";
            if (string.IsNullOrWhiteSpace(c.Id) || !ids.Add(c.Id))
            {
                throw new SalesOfficeException($"{where}: \"id\" is missing or used twice.");
            }

            if (c.At is null || !TimeOnly.TryParseExact(c.At, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            {
                throw new SalesOfficeException($"{where} ({c.Id}): \"at\" must be a time of day like \"09:30\".");
            }

            if (c.Channel is null || !Channels.Contains(c.Channel))
            {
                throw new SalesOfficeException($"{where} ({c.Id}): \"channel\" must be call, email or webForm.");
            }

            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw new SalesOfficeException($"{where} ({c.Id}): \"name\" is missing.");
            }

            DateTimeOffset? requested = null;
            if (c.RequestedDate is { } requestedText)
            {
                requested = DateOnly.TryParseExact(requestedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                    : throw new SalesOfficeException($"{where} ({c.Id}): \"requestedDate\" must be a date like \"2026-03-12\".");
            }

            contacts.Add(new IncomingContact(c.Id, midnight + at.ToTimeSpan(), c.Channel, c.Name.Trim(), c.Phone, c.Email, c.Request, requested));
            index++;
        }

        return new ContactDay(date, [.. contacts.OrderBy(static c => c.At)]);
    }

    private sealed class DayJson
    {
        public string? Date { get; set; }

        public List<ContactJson>? Contacts { get; set; }
    }

    private sealed class ContactJson
    {
        public string? Id { get; set; }

        public string? At { get; set; }

        public string? Channel { get; set; }

        public string? Name { get; set; }

        public string? Phone { get; set; }

        public string? Email { get; set; }

        public string? Request { get; set; }

        public string? RequestedDate { get; set; }
    }
}
