using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Testing;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>
/// The testing harness (in-memory engine, fake time) with the sample's JSON process and its real CRM
/// handlers over a CRM in a temporary SQLite file.
/// </summary>
internal sealed class SalesHarness : IDisposable
{
    public static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly ProcessUser Olga = ProcessTestHarness.User("olga", "operator");
    public static readonly ProcessUser Mia = ProcessTestHarness.User("mia", "manager");
    public static readonly ProcessUser Max = ProcessTestHarness.User("max", "manager");
    public static readonly ProcessUser Dan = ProcessTestHarness.User("dan", "dispatcher");
    public static readonly ProcessUser Hal = ProcessTestHarness.User("hal", "headOfSales");

    private readonly TempFolder _folder;
    private int _contacts;

    private SalesHarness(TempFolder folder, ProcessTestHarness harness, CrmDatabase crm)
    {
        _folder = folder;
        Harness = harness;
        Crm = crm;
    }

    public ProcessTestHarness Harness { get; }

    public CrmDatabase Crm { get; }

    /// <summary>Ingrid Holm's phone: a client the CRM starts with.</summary>
    public const string ExistingClientPhone = "+46 8 555 0101";

    /// <summary>Builds the harness; <paramref name="wrap"/> may wrap a handler (by name) to inject failures.</summary>
    public static async Task<SalesHarness> CreateAsync(Func<string, IStepHandler, IStepHandler>? wrap = null)
    {
        var folder = new TempFolder();
        var crm = new CrmDatabase(folder.File("crm.db"), SalesStaff.Default.Dispatchers);
        await crm.EnsureCreatedAsync(TestContext.Current.CancellationToken);
        var clock = new LateClock();
        var options = new ProcessTestHarnessOptions
        {
            StartTime = Monday,
            ConfigureEngine = o => o.RoleMembers = SalesStaff.Default.Members,
        };
        options.Definitions.Add(SalesProcess.Load());
        foreach (var (name, handler) in SalesHandlers.Create(crm, clock))
        {
            options.AddHandler(name, wrap is null ? handler : wrap(name, handler));
        }

        var harness = await ProcessTestHarness.CreateAsync(options, TestContext.Current.CancellationToken);
        clock.Inner = harness.Clock;
        return new SalesHarness(folder, harness, crm);
    }

    /// <summary>A contact arrives as a message and starts one instance.</summary>
    public async Task<TestInstance> ContactAsync(string name = "Grace Kim", string? phone = "+1 206 555 0111", string? email = "grace@kim-studio.example", string channel = "call")
    {
        var payload = new Dictionary<string, object?> { ["contactName"] = name, ["channel"] = channel, ["request"] = "a meeting room table" };
        if (phone is not null)
        {
            payload["phone"] = phone;
        }

        if (email is not null)
        {
            payload["email"] = email;
        }

        var message = new ProcessMessage(SalesProcess.ContactMessage) { MessageId = "contact-" + ++_contacts, Payload = payload };
        return Assert.Single(await Harness.StartByMessageAsync(message, TestContext.Current.CancellationToken));
    }

    /// <summary>A contact from a new client, reviewed by the operator after five minutes.</summary>
    public async Task<TestInstance> ReviewedLeadAsync(string? phone = "+1 206 555 0111")
    {
        var lead = await ContactAsync(phone: phone);
        await Harness.AdvanceAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        await lead.CompleteAsync("reviewLead", Olga, cancellationToken: TestContext.Current.CancellationToken);
        return lead;
    }

    public async Task<string> DataAsync(TestInstance lead, string field) =>
        (string)(await lead.GetSnapshotAsync(TestContext.Current.CancellationToken)).Data[field]!;

    public void Dispose() => _folder.Dispose();
}
