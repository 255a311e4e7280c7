namespace ProcessKit.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("processkit: commands land with the CLI work.");
        return 2;
    }
}
