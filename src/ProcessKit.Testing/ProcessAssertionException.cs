namespace ProcessKit.Testing;

/// <summary>
/// Thrown by the assertions and actions of <see cref="ProcessTestHarness"/> and
/// <see cref="TestInstance"/> when an instance is not where the test expects it. The message says
/// what was expected and where the instance actually stands (state, waiting steps, open tasks,
/// data and the last history events). Works with any test framework.
/// </summary>
public sealed class ProcessAssertionException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProcessAssertionException()
        : base("A process assertion failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public ProcessAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The failure that caused it.</param>
    public ProcessAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a description of where the instance stands.</summary>
    /// <param name="message">What was expected and what was found, in one sentence.</param>
    /// <param name="whereItStands">Where the instance stands; appended to the message on its own lines.</param>
    public ProcessAssertionException(string message, string whereItStands)
        : base(message + Environment.NewLine + whereItStands)
    {
        Expectation = message;
        WhereItStands = whereItStands;
    }

    /// <summary>What was expected and what was found, without the description of the instance. Optional.</summary>
    public string? Expectation { get; }

    /// <summary>Where the instance stood when the assertion failed, as several lines of text. Optional.</summary>
    public string? WhereItStands { get; }
}
