using System.Text;
using System.Text.Json;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Tests.Storing;

public sealed class TaskBodyCodecTests
{
    private static HumanTaskInfo Task(IReadOnlyList<string> outcomes, object? item) => new()
    {
        TaskId = 7,
        Instance = new InstanceId(3),
        ProcessId = "p.review",
        ProcessVersion = 4,
        StepId = "review",
        StepName = "Review \"the\" document",
        StepInstance = 2,
        Role = "clerk",
        State = TaskState.Offered,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Outcomes = outcomes,
        Item = item,
        Node = 12,
    };

    [Fact]
    public void A_body_reads_back_with_its_process_step_node_outcomes_and_item()
    {
        var item = JsonDocument.Parse("""{"sku":"A-1","qty":2}""").RootElement;
        var body = TaskBodyCodec.Read(TaskBodyCodec.Write(Task(["approve", "reject"], item)));

        Assert.Equal("p.review", body.ProcessId);
        Assert.Equal(4, body.ProcessVersion);
        Assert.Equal("Review \"the\" document", body.StepName);
        Assert.Equal(12, body.Node);
        Assert.Equal(["approve", "reject"], body.Outcomes);
        Assert.Equal("A-1", ((JsonElement)body.Item!).GetProperty("sku").GetString());
    }

    [Fact]
    public void A_body_without_outcomes_or_item_reads_back_empty_and_null()
    {
        var body = TaskBodyCodec.Read(TaskBodyCodec.Write(Task([], null)));

        Assert.Empty(body.Outcomes);
        Assert.Null(body.Item);
        Assert.Equal(42m, TaskBodyCodec.Read(TaskBodyCodec.Write(Task([], 42m))).Item);
    }

    [Fact]
    public void The_stored_shape_is_the_documented_one()
    {
        Assert.Equal(
            """{"process":"p.review","processVersion":4,"stepName":"Review \u0022the\u0022 document","node":12,"outcomes":["ok"],"item":"x"}""",
            Encoding.UTF8.GetString(TaskBodyCodec.Write(Task(["ok"], "x"))));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"process":"p","processVersion":1,"stepName":"s","outcomes":[]}""")]
    public void A_damaged_body_is_reported_as_an_unsupported_format(string body)
    {
        var error = Assert.Throws<ProcessStoreException>(() => TaskBodyCodec.Read(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
    }
}
