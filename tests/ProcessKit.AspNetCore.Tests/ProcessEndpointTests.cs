using System.Net;
using System.Text.Json;

namespace ProcessKit.AspNetCore.Tests;

public sealed class ProcessEndpointTests
{
    [Fact]
    public async Task Listing_processes_gives_each_process_once_with_every_deployed_version()
    {
        await using var app = await TestApp.StartAsync(processes: pk => pk.AddProcess(TestApp.Expense(1)).AddProcess(TestApp.Expense(2)));

        var response = await app.GetAsync("/processkit/processes", TestUser.Clerk);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = await response.JsonAsync();
        var process = Assert.Single(list.EnumerateArray());
        Assert.Equal("test.expense", process.GetProperty("id").GetString());
        Assert.Equal(2, process.GetProperty("newestVersion").GetInt32());
        Assert.Equal([1, 2], process.GetProperty("versions").EnumerateArray().Select(static v => v.GetInt32()));
    }

    [Fact]
    public async Task Listing_processes_leaves_out_the_processes_the_user_takes_no_part_in()
    {
        await using var app = await TestApp.StartAsync();

        var list = await (await app.GetAsync("/processkit/processes", TestUser.Outsider)).JsonAsync();

        Assert.Empty(list.EnumerateArray());
    }

    [Fact]
    public async Task Reading_a_process_gives_its_inputs_roles_and_steps()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.GetAsync("/processkit/processes/test.expense?version=1", TestUser.Clerk);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var process = await response.JsonAsync();
        Assert.Equal(1, process.GetProperty("version").GetInt32());
        Assert.Equal(["employee", "amount"], process.GetProperty("inputs").EnumerateArray().Select(static f => f.GetProperty("name").GetString()));
        Assert.True(process.GetProperty("inputs")[1].GetProperty("required").GetBoolean());
        Assert.Equal("Number", process.GetProperty("inputs")[1].GetProperty("type").GetString());
        Assert.Equal(["clerk", "manager", "head"], process.GetProperty("roles").EnumerateArray().Select(static r => r.GetProperty("id").GetString()));
        Assert.Equal("HumanTask", process.GetProperty("steps")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Reading_an_unknown_process_or_version_is_404_with_the_engine_code()
    {
        await using var app = await TestApp.StartAsync();

        await (await app.GetAsync("/processkit/processes/nope", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.ProcessNotFound);
        await (await app.GetAsync("/processkit/processes/test.expense?version=7", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.ProcessNotFound);
    }

    [Fact]
    public async Task A_version_that_is_not_a_number_is_400_naming_it()
    {
        await using var app = await TestApp.StartAsync();

        var problem = await (await app.GetAsync("/processkit/processes/test.expense?version=two", TestUser.Clerk)).ProblemAsync(400, "request.invalid");

        Assert.Equal(["version"], problem.Fields());
    }

    [Fact]
    public async Task Reading_a_process_one_takes_no_part_in_is_403()
    {
        await using var app = await TestApp.StartAsync();

        await (await app.GetAsync("/processkit/processes/test.expense", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
    }

    [Fact]
    public async Task The_diagram_is_mermaid_text_and_marks_where_an_instance_waits()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        var plain = await app.GetAsync("/processkit/processes/test.expense/diagram", TestUser.Clerk);
        var marked = await app.GetAsync($"/processkit/processes/test.expense/diagram?instance={instance}", TestUser.Clerk);
        var viaInstance = await app.GetAsync($"/processkit/instances/{instance}/diagram", TestUser.Clerk);

        Assert.Equal("text/plain", plain.Content.Headers.ContentType?.MediaType);
        var plainText = await plain.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var markedText = await marked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(plainText.Split('\n'), static l => l.StartsWith("flowchart ", StringComparison.Ordinal));
        Assert.DoesNotContain(" current", plainText.Split('\n').Where(static l => l.TrimStart().StartsWith("class ", StringComparison.Ordinal)));
        Assert.Contains(markedText.Split('\n'), static l => l.TrimStart().StartsWith("class ", StringComparison.Ordinal) && l.Contains("review", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" current", StringComparison.Ordinal));
        Assert.Equal(markedText, await viaInstance.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_diagram_of_an_instance_of_another_process_is_400_naming_the_instance()
    {
        await using var app = await TestApp.StartAsync(processes: pk => pk.AddProcess(TestApp.Expense()).AddProcess(TestApp.Expense() with { Id = "test.other" }));
        var instance = await app.StartClaimAsync();

        var problem = await (await app.GetAsync($"/processkit/processes/test.other/diagram?instance={instance}", TestUser.Clerk)).ProblemAsync(400, "request.invalid");

        Assert.Equal(["instance"], problem.Fields());
    }

    [Fact]
    public async Task Starting_an_instance_answers_201_with_its_location_state_and_data()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, """{ "data": { "employee": "eve", "amount": 42.5 }, "businessKey": "EXP-1" }""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var instance = await response.JsonAsync();
        var id = instance.GetProperty("id").GetInt64();
        Assert.Equal($"/processkit/instances/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Running", instance.GetProperty("state").GetString());
        Assert.Equal("EXP-1", instance.GetProperty("businessKey").GetString());
        Assert.Equal(["review"], instance.GetProperty("activeSteps").EnumerateArray().Select(static s => s.GetString()));
        Assert.Equal(42.5m, instance.GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal("eve", instance.GetProperty("data").GetProperty("employee").GetString());
    }

    [Fact]
    public async Task A_start_repeated_with_its_request_id_answers_the_same_instance_and_one_with_other_data_is_409()
    {
        await using var app = await TestApp.StartAsync();
        const string body = """{ "data": { "employee": "eve", "amount": 42.5 }, "requestId": "exp-eve-1" }""";

        var first = await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, body);
        var again = await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var before = await Fingerprint.OfAsync(app);
        var other = """{ "data": { "employee": "eve", "amount": 99 }, "requestId": "exp-eve-1" }""";
        await (await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, other)).ProblemAsync(409, ProcessErrorCodes.StartRequestConflict);
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Theory]
    [InlineData("""{ "data": { "employee": "eve" } }""", "data.amount")]
    [InlineData("""{ "data": { "employee": "eve", "amount": "lots" } }""", "data.amount")]
    [InlineData("""{ "data": { "employee": "eve", "amount": -1 } }""", "data.amount")]
    [InlineData("""{ "data": { "employee": "eve", "amount": 1, "colour": "red" } }""", "data.colour")]
    public async Task Start_data_that_does_not_fit_the_declared_inputs_is_400_naming_the_field_and_starts_nothing(string body, string field)
    {
        await using var app = await TestApp.StartAsync();
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, body)).ProblemAsync(400, ProcessErrorCodes.StartDataInvalid);

        Assert.Contains(field, problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Theory]
    [InlineData("""{ "data": { "employee": "eve", "amount": 1 }, "businesKey": "x" }""", "businesKey")]
    [InlineData("""{ "data": 7 }""", "data")]
    [InlineData("""{ "data": { "employee": "eve", "amount": 1 }""", "body")]
    [InlineData("""{ "data": { "employee": "eve", "amount": 1 }, "businessKey": " " }""", "businessKey")]
    public async Task A_malformed_start_body_is_400_naming_the_field_and_starts_nothing(string body, string field)
    {
        await using var app = await TestApp.StartAsync();
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, body)).ProblemAsync(400, "request.invalid");

        Assert.Equal([field], problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_start_body_over_the_size_limit_is_413_and_starts_nothing()
    {
        await using var app = await TestApp.StartAsync(o => o.MaxRequestBodySize = 256);
        var before = await Fingerprint.OfAsync(app);
        var body = JsonSerializer.Serialize(new { data = new { employee = new string('e', 300), amount = 1 } });

        await (await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Clerk, body)).ProblemAsync(413, "request.too-large");

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_start_body_sent_without_a_length_is_counted_and_refused_with_413_once_over_the_limit()
    {
        await using var app = await TestApp.StartAsync(o => o.MaxRequestBodySize = 256);
        var before = await Fingerprint.OfAsync(app);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { data = new { employee = new string('e', 300), amount = 1 } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/processkit/processes/test.expense/instances") { Content = new UnsizedContent(body) };
        request.Headers.Add(HeaderSignIn.UserHeader, TestUser.Clerk.Id);
        request.Headers.Add(HeaderSignIn.RolesHeader, "clerk");

        var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Null(request.Content.Headers.ContentLength);
        await response.ProblemAsync(413, "request.too-large");
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_start_body_that_is_not_json_is_415_and_starts_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var before = await Fingerprint.OfAsync(app);

        var response = await app.SendAsync(HttpMethod.Post, "/processkit/processes/test.expense/instances", TestUser.Clerk, "employee=eve&amount=1", "application/x-www-form-urlencoded");

        // ASP.NET Core's routing refuses it before the endpoint runs: the endpoint accepts application/json only.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Starting_a_process_one_takes_no_part_in_is_403_and_starts_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync("/processkit/processes/test.expense/instances", TestUser.Outsider, """{ "data": { "employee": "eve", "amount": 1 } }""")).ProblemAsync(403, "process.not-authorized");

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Starting_an_unknown_process_is_404()
    {
        await using var app = await TestApp.StartAsync();

        await (await app.PostAsync("/processkit/processes/nope/instances", TestUser.Clerk, "{}")).ProblemAsync(404, ProcessErrorCodes.ProcessNotFound);
    }

    /// <summary>A JSON body whose length is not known up front (sent chunked).</summary>
    private sealed class UnsizedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnsizedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
