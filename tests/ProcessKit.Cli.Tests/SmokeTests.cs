namespace ProcessKit.Cli.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Cli_assembly_is_referenced()
    {
        Assert.Equal("ProcessKit.Cli", typeof(ProcessKit.Cli.Program).Assembly.GetName().Name);
    }
}
