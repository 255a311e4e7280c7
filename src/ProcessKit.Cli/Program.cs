namespace ProcessKit.Cli;

/// <summary>The entry point of the <c>processkit</c> tool.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl+C lets the current file finish and exits with 130 rather than dying
            // mid-write; a second one (say, a read blocked on a pipe) ends the process at once.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        }

        // Names and messages may hold any script; write them as UTF-8 whatever the console's code page.
        Console.OutputEncoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Console.CancelKeyPress += OnCancel;
        try
        {
            return await CliApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token, stderrIsTerminal: !Console.IsErrorRedirected).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}
