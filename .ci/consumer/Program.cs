// A tiny app that uses ProcessKit from its NuGet package, as a user would. It runs the README's
// quick start, then reads every shipped definition and checks that it survives a JSON round trip.
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Export;

// --- README quick start ---
var p = ProcessBuilder.Create("support.claim", "Resolve a claim").Category("Service").Goal("Claim resolved within a day");
p.Supplier("client", "Client").Inputs(Field.String("claim", required: true), Field.Number("amount", required: true));
var agent = p.Role("agent", "Support agent").HourlyCost(40m);
var lead = p.Role("lead", "Team lead").HourlyCost(70m);

var review = p.HumanTask("review", "Review the claim", agent).Deadline(TimeSpan.FromHours(4)).OnLateNotifyRole(lead);
var large = p.Decision("large", "Large claim?");
var approve = p.HumanTask("approve", "Approve the refund", lead).SeparateFrom(review);
var refund = p.Automated("refund", "Pay the refund", "payments.refund");
var done = p.End("done", "Claim resolved").Outcome("Resolved");
review.Then(large);
large.When("amount > 500", approve).Otherwise(refund);
approve.Then(refund);
refund.Then(done);

ProcessDefinition claim = p.Build();                 // validates: throws one exception listing every problem
string json = ProcessDefinitionJson.Write(claim);    // the same process as a JSON document
Console.WriteLine(MermaidExporter.Export(claim));    // a Mermaid flowchart, one lane per role
// --- end of quick start ---

Check(ProcessDefinitionJson.Read(json) == claim, "the quick start's definition survives a JSON round trip");

var folder = args.Length > 0 ? args[0] : "definitions";
var files = Directory.GetFiles(folder, "*.json");
Check(files.Length > 0, $"definitions found in {folder}");
foreach (var file in files)
{
    var definition = await ProcessDefinitionJson.ReadAsync(File.OpenRead(file));
    Check(ProcessDefinitionJson.Read(ProcessDefinitionJson.Write(definition)) == definition, $"{Path.GetFileName(file)} round-trips");
}

Console.WriteLine("consumer: ok");
return 0;

static void Check(bool condition, string what)
{
    if (!condition)
    {
        Console.Error.WriteLine($"consumer: FAILED: {what}");
        Environment.Exit(1);
    }

    Console.WriteLine($"consumer: {what}");
}
