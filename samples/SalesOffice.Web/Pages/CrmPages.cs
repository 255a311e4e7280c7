using System.Globalization;
using System.Text;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;

namespace ProcessKit.Samples.SalesOffice.Web.Pages;

/// <summary>
/// The app's own pages: the CRM (companies, contacts, leads and deals from the <c>crm_*</c> tables) and the
/// "new contact" form, which publishes the message <c>contact.received</c> as the console sample does; the
/// process's message trigger starts a lead, and its first step registers the lead in the CRM.
/// </summary>
internal static class CrmPages
{
    /// <summary>The message every incoming contact is published as (the process's trigger names it).</summary>
    public const string ContactMessage = "contact.received";

    /// <summary>The channels a contact comes in by, and what the form calls them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Channels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["call"] = "Call",
        ["email"] = "Email",
        ["webForm"] = "Web form",
    };

    private const int Rows = 200;

    public static void MapCrmPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ShowAsync).RequireAuthorization();
        app.MapPost("/contacts", ReceiveAsync).RequireAuthorization();
    }

    private static async Task<IResult> ShowAsync(HttpContext http, CrmDatabase crm, string? sent, CancellationToken cancellationToken)
    {
        var notice = sent switch
        {
            nameof(MessageOutcome.Started) => "<p class=\"notice\" role=\"status\">The contact came in: a new lead is registered below, and waits in the operators' inbox.</p>",
            nameof(MessageOutcome.Duplicate) => "<p class=\"notice\" role=\"status\">That contact was sent already; nothing new.</p>",
            _ => string.Empty,
        };
        return await PageAsync(http, crm, notice, StatusCodes.Status200OK, cancellationToken);
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, CrmDatabase crm, ProcessEngine engine, IFormCollection form, CancellationToken cancellationToken)
    {
        var channel = form["channel"].ToString();
        var name = form["contactName"].ToString().Trim();
        var problems = new List<string>();
        if (!Channels.ContainsKey(channel))
        {
            problems.Add("Choose how the client made contact: call, email or web form.");
        }

        if (name.Length == 0)
        {
            problems.Add("Say who made contact.");
        }

        var payload = new Dictionary<string, object?>(StringComparer.Ordinal) { ["channel"] = channel, ["contactName"] = name };
        foreach (var field in (string[])["phone", "email", "request"])
        {
            if (form[field].ToString().Trim() is { Length: > 0 } value)
            {
                payload[field] = value;
            }
        }

        if (form["requestedDate"].ToString() is { Length: > 0 } date)
        {
            if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                payload["requestedDate"] = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }
            else
            {
                problems.Add("The requested date must be a date like 2026-03-12.");
            }
        }

        if (problems.Count > 0)
        {
            return await PageAsync(http, crm, Problems(problems), StatusCodes.Status400BadRequest, cancellationToken);
        }

        // The form carries an id made when it was shown, so a form sent twice is one contact (Duplicate).
        var formId = form["formId"].ToString();
        var message = new ProcessMessage(ContactMessage)
        {
            MessageId = Guid.TryParse(formId, out var id) ? "web/" + id.ToString("N") : null,
            Payload = payload,
        };
        try
        {
            var outcome = await engine.PublishMessageAsync(message, cancellationToken);
            return Results.Redirect("/?sent=" + outcome);
        }
        catch (ProcessKitException e)
        {
            return await PageAsync(http, crm, Problems([e.Message]), StatusCodes.Status400BadRequest, cancellationToken);
        }
    }

    private static string Problems(IEnumerable<string> problems) =>
        "<div class=\"error\" role=\"alert\">" + string.Concat(problems.Select(static p => "<p>" + Layout.Encode(p) + "</p>")) + "</div>";

    private static async Task<IResult> PageAsync(HttpContext http, CrmDatabase crm, string notice, int statusCode, CancellationToken cancellationToken)
    {
        var crmData = await crm.ReadOverviewAsync(Rows, cancellationToken);
        var html = new StringBuilder(notice);
        html.Append("<h2>New contact</h2><form class=\"contact\" method=\"post\" action=\"/contacts\">").Append(Layout.Token(http))
            .Append("<input type=\"hidden\" name=\"formId\" value=\"").Append(Guid.NewGuid().ToString("N")).Append("\">")
            .Append("<label for=\"channel\">Channel</label><select id=\"channel\" name=\"channel\">");
        foreach (var (value, label) in Channels)
        {
            html.Append("<option value=\"").Append(value).Append("\">").Append(label).Append("</option>");
        }

        html.Append("</select>")
            .Append(Input("contactName", "Name", "text", required: true))
            .Append(Input("phone", "Phone", "tel"))
            .Append(Input("email", "Email", "email"))
            .Append(Input("request", "Request", "text"))
            .Append(Input("requestedDate", "Requested date", "date"))
            .Append("<span></span><button type=\"submit\">Register the contact</button></form>");

        Table(html, "Leads", "leads", ["Lead", "Received (UTC)", "Name", "Channel", "Request", "Client", "Process instance"], crmData.Leads, static l =>
            [l.LeadId, l.ReceivedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), l.ContactName, Channels.GetValueOrDefault(l.Channel, l.Channel), l.Request, l.ClientId ?? "new client", l.InstanceId.ToString(CultureInfo.InvariantCulture)]);
        Table(html, "Deals", "deals", ["Deal", "Lead", "Client", "Company", "Amount", "Dispatcher"], crmData.Deals, static d =>
            [d.DealId, d.LeadId, d.Contact, d.Company, d.Amount?.ToString("N2", CultureInfo.InvariantCulture), d.DispatcherId]);
        Table(html, "Contacts", "contacts", ["Contact", "Name", "Phone", "Email", "Company"], crmData.Contacts, static c =>
            [c.ContactId, c.Name, c.Phone, c.Email, c.Company]);
        Table(html, "Companies", "companies", ["Company", "Name"], crmData.Companies, static c => [c.CompanyId, c.Name]);
        return Layout.Page(http, "CRM", html.ToString(), statusCode);
    }

    private static string Input(string name, string label, string type, bool required = false) =>
        $"<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" type=\"{type}\"{(required ? " required" : string.Empty)}>";

    private static void Table<T>(StringBuilder html, string title, string id, string[] headers, IReadOnlyList<T> rows, Func<T, string?[]> cells)
    {
        html.Append("<h2>").Append(title).Append(" (").Append(rows.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2>");
        if (rows.Count == 0)
        {
            html.Append("<p id=\"").Append(id).Append("\">None yet.</p>");
            return;
        }

        html.Append("<table id=\"").Append(id).Append("\"><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(header).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in cells(row))
            {
                html.Append("<td>").Append(Layout.Encode(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }
}
