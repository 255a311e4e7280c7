using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Contacts;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.Shared.Play;

namespace ProcessKit.Samples.SalesOffice.Hosting;

/// <summary>
/// <c>play</c>: the shared play console over the sales office's database, with commands of its own for
/// what comes from outside (a contact, the client's reply, the delivery, the rating). The clock is
/// fake; it starts where the last session or the last day left it, and is kept in the database.
/// </summary>
internal static class SalesPlay
{
    /// <summary>Where the clock starts in a new database: a Monday at nine.</summary>
    public static readonly DateTimeOffset FirstMorning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string databasePath, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var definition = SalesProcess.Load();
        var clock = new FakeTimeProvider(FirstMorning);
        var staff = SalesStaff.Default;
        await using var host = await SalesOfficeHost.OpenAsync(databasePath, definition, clock, staff, runWorker: false, cancellationToken);
        var resume = new[] { await host.Crm.ReadPlayClockAsync(cancellationToken), (await host.Crm.LastDayAsync(cancellationToken))?.EndedAt }.Max();
        if (resume is { } at && at > clock.GetUtcNow())
        {
            clock.SetUtcNow(at);
        }

        var console = new PlayConsole(host.Engine, [definition], by =>
        {
            clock.Advance(by);
            host.Crm.WritePlayClock(clock.GetUtcNow());
        }, input, output)
        {
            Banner = $"The sales office, in play. Staff: {string.Join(", ", staff.People.Select(static p => $"{p.Id} ({p.Role})"))}: be one of them with 'role manager mia'. "
                + $"A contact comes in with 'contact call \"Ann Lee\" phone=+1-555-0100 request=chairs'. Data: {databasePath}",
            InstanceNoun = "lead",
        };
        var contacts = 0;
        console
            .AddCommand("contact", "contact CHANNEL NAME [phone=P] [email=E] [request=R] [requestedDate=YYYY-MM-DD]: a client calls (call), writes (email) or fills in the web form (webForm); the contact starts a lead", async (args, ct) =>
            {
                var (values, words) = Split(args);
                if (words.Count < 2 || !ContactFile.Channels.Contains(words[0]))
                {
                    await output.WriteLineAsync("Usage: contact CHANNEL NAME [phone=P] [email=E] [request=R] [requestedDate=YYYY-MM-DD]; CHANNEL is call, email or webForm.");
                    return;
                }

                var payload = new Dictionary<string, object?> { ["channel"] = words[0], ["contactName"] = string.Join(' ', words.Skip(1)) };
                foreach (var (key, value) in values)
                {
                    payload[key] = key == "requestedDate"
                        ? DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                            ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                            : throw new FormatException($"requestedDate must be a date like 2026-03-12, not '{value}'.")
                        : value;
                }

                var id = string.Create(CultureInfo.InvariantCulture, $"play/{clock.GetUtcNow().UtcTicks}/{++contacts}");
                await host.Engine.PublishMessageAsync(new ProcessMessage(SalesProcess.ContactMessage) { MessageId = id, Payload = payload }, ct);
                var instances = await host.Crm.LeadInstancesAsync(ct);
                var snapshot = await host.Engine.GetInstanceAsync(new Execution.InstanceId(instances[^1]), ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Lead {snapshot.Data.GetValueOrDefault("leadId")} registered for {payload["contactName"]}: lead {snapshot.Id}, {(snapshot.Data.GetValueOrDefault("clientExists") is true ? "an existing client" : "a new client")}; the operator's inbox has it."));
            })
            .AddCommand("reply", "reply LEAD_ID [TEXT]: the client answers the manager's question (LEAD_ID like L-3)", (args, ct) =>
                PublishAsync(host.Engine, output, "client.replied", args, "reply", args.Count > 1 ? string.Join(' ', args.Skip(1)) : "the missing data", ct))
            .AddCommand("deliver", "deliver DEAL_ID: the warehouse reports the deal delivered (DEAL_ID like D-2)", (args, ct) =>
                PublishAsync(host.Engine, output, "delivered", args, "deliveredAt", clock.GetUtcNow(), ct))
            .AddCommand("rate", "rate DEAL_ID 1-5: the client's rating of the deal arrives", (args, ct) =>
                args.Count == 2 && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rating) && rating is >= 1 and <= 5
                    ? PublishAsync(host.Engine, output, "rating.received", args, "rating", rating, ct)
                    : new ValueTask(output.WriteLineAsync("Usage: rate DEAL_ID 1-5, for example rate D-2 5.")));
        var exit = await console.RunAsync(cancellationToken);
        host.Crm.WritePlayClock(clock.GetUtcNow());
        return exit;
    }

    private static async ValueTask PublishAsync(Execution.ProcessEngine engine, TextWriter output, string message, IReadOnlyList<string> args, string field, object value, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            await output.WriteLineAsync($"Which one? Give the id the process uses (leadId or dealId), for example {(message == "client.replied" ? "L-3" : "D-2")}.");
            return;
        }

        var outcome = await engine.PublishMessageAsync(new ProcessMessage(message) { CorrelationKey = args[0], Payload = new Dictionary<string, object?> { [field] = value } }, cancellationToken);
        await output.WriteLineAsync(outcome switch
        {
            MessageOutcome.Delivered => $"'{message}' for {args[0]} delivered to the lead waiting for it.",
            MessageOutcome.Buffered => $"Nobody waits for '{message}' for {args[0]} yet: it is kept for a day, for a lead that gets there.",
            _ => $"'{message}' for {args[0]}: {outcome}.",
        });
    }

    private static (List<(string Key, string Value)> Values, List<string> Words) Split(IReadOnlyList<string> args)
    {
        var values = new List<(string, string)>();
        var words = new List<string>();
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && arg[..eq] is "phone" or "email" or "request" or "requestedDate")
            {
                values.Add((arg[..eq], arg[(eq + 1)..]));
            }
            else
            {
                words.Add(arg);
            }
        }

        return (values, words);
    }
}
