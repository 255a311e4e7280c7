using ProcessKit.Definitions;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Reading the deployed definitions back: every version, one version, the newest.</summary>
public sealed class DefinitionQueryTests
{
    private static ProcessDefinition Simple(string id, int version)
    {
        var p = ProcessBuilder.Create(id, id.ToUpperInvariant()).Version(version);
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("work", "Work", clerk);
        task.Then(p.End("done", "Done"));
        return p.Build();
    }

    [Fact]
    public async Task Every_deployed_version_of_every_process_is_listed()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Simple("a", 1), Ct);
        await kit.Engine.DeployAsync(Simple("a", 2), Ct);
        await kit.Engine.DeployAsync(Simple("b", 1), Ct);

        var all = await kit.Engine.GetDefinitionsAsync(Ct);

        Assert.Equal(["a:1", "a:2", "b:1"], all.Select(static d => $"{d.Id}:{d.Version}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Nothing_deployed_lists_nothing()
    {
        var kit = new EngineTestKit();

        Assert.Empty(await kit.Engine.GetDefinitionsAsync(Ct));
    }

    [Fact]
    public async Task A_definition_is_read_by_version_or_newest_when_no_version_is_named()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Simple("a", 1), Ct);
        await kit.Engine.DeployAsync(Simple("a", 3), Ct);

        Assert.Equal(1, (await kit.Engine.GetDefinitionAsync("a", 1, Ct)).Version);
        Assert.Equal(3, (await kit.Engine.GetDefinitionAsync("a", cancellationToken: Ct)).Version);
        Assert.Equal(Simple("a", 3), await kit.Engine.GetDefinitionAsync("a", 3, Ct));
    }

    [Theory]
    [InlineData("nope", null)]
    [InlineData("a", 2)]
    public async Task An_unknown_process_or_version_is_refused_with_process_not_found(string id, int? version)
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Simple("a", 1), Ct);

        var error = await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.GetDefinitionAsync(id, version, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.ProcessNotFound, error.ErrorCode);
        Assert.Contains($"'{id}'", error.Message, StringComparison.Ordinal);
    }
}
