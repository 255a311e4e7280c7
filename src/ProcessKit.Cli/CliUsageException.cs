namespace ProcessKit.Cli;

/// <summary>The command line is wrong (unknown command or option, missing or bad value): exit code 2.</summary>
/// <param name="message">What is wrong, in one line.</param>
/// <param name="command">The command whose usage to show, or <see langword="null"/> for the tool's.</param>
internal sealed class CliUsageException(string message, string? command) : Exception(message)
{
    /// <summary>The command whose usage to show, or <see langword="null"/> for the tool's.</summary>
    public string? Command { get; } = command;
}
