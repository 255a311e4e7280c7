using FsCheck;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Messaging;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Messaging;

/// <summary>Duplicated messages are applied once, whatever their order.</summary>
public sealed class MessageProperties
{
    [Property(MaxTest = 100)]
    public async Task Duplicated_messages_are_applied_once(NonEmptyArray<byte> ids)
    {
        var p = ProcessBuilder.Create("order", "Order").TriggeredBy(TriggerDefinition.OnMessage("order.placed"));
        var clerk = p.Role("clerk", "Clerk");
        var wait = p.WaitMessage("paid", "Wait for the payment", "order.paid").CorrelatedBy("'all'");
        var task = p.HumanTask("ship", "Ship", clerk);
        var done = p.End("done", "Done");
        wait.Then(task);
        task.Then(done);
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(p.Build(), Ct);
        var messages = ids.Get.Select(id => id % 8).ToArray();

        var outcomes = new List<MessageOutcome>();
        foreach (var id in messages)
        {
            outcomes.Add(await kit.Engine.PublishMessageAsync(new ProcessMessage("order.placed") { MessageId = "p-" + id }, Ct));
            outcomes.Add(await kit.Engine.PublishMessageAsync(new ProcessMessage("order.paid") { CorrelationKey = "all", MessageId = "q-" + id }, Ct));
        }

        var distinct = messages.Distinct().Count();
        Assert.Equal(distinct, kit.Store.InstanceCount);
        Assert.Equal(2 * (messages.Length - distinct), outcomes.Count(o => o == MessageOutcome.Duplicate));
        Assert.Equal(distinct, (await kit.Engine.QueryTasksAsync(new() { Role = "clerk" }, Ct)).Count);
    }
}
