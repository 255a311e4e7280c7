using ProcessKit.Definitions;

namespace ProcessKit.CrashHost;

/// <summary>
/// The process the crash test runs: a human task, a short timer, then an asynchronous automated step
/// (a job with retries), then the end. Shared by the host and the tests that check its store.
/// </summary>
internal static class CrashProcess
{
    public const string Id = "crash.order";
    public const string ReviewStep = "review";
    public const string WaitStep = "wait";
    public const string SendStep = "send";
    public const string Handler = "crash.send";
    public const string Role = "clerk";

    /// <summary>How long the timer step waits (real time in the host).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(300);

    public static ProcessDefinition Build()
    {
        var p = ProcessBuilder.Create(Id, "Crash order");
        var clerk = p.Role(Role, "Clerk");
        var review = p.HumanTask(ReviewStep, "Review the order", clerk);
        var wait = p.Timer(WaitStep, "Let it settle", Wait);
        var send = p.Automated(SendStep, "Send the order", Handler).Writes(Field.String("sentBy"))
            .Asynchronous()
            .Retry(new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.FromMilliseconds(100), BackoffMultiplier = 1 });
        var done = p.End("done", "Done").Outcome("Sent");
        review.Then(wait);
        wait.Then(send);
        send.Then(done);
        return p.Build();
    }
}
