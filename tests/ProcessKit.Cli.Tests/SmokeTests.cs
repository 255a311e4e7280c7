namespace ProcessKit.Cli.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Cli_is_built_beside_the_tests()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "processkit.dll")));
    }
}
