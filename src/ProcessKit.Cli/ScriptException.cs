namespace ProcessKit.Cli;

/// <summary>A script is invalid, or one of its actions failed: the JSON pointer of the culprit and a one-line message.</summary>
/// <param name="pointer">The JSON pointer in the script ('/' is the whole script).</param>
/// <param name="message">What is wrong, in one line.</param>
internal sealed class ScriptException(string pointer, string message) : Exception(message)
{
    /// <summary>The JSON pointer in the script.</summary>
    public string Pointer { get; } = pointer;
}
