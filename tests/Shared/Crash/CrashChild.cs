using ProcessKit.Processes;

namespace ProcessKit.Crash;

/// <summary>Runs of the crash host (<c>dotnet ProcessKit.CrashHost.dll ...</c>) as child processes.</summary>
internal static class CrashChild
{
    /// <summary>The longest a test waits for the child to say it is ready or to exit (never reached when it works).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    /// <summary>Starts the crash host with the arguments given; dispose the child to kill it if it still runs.</summary>
    public static ChildProcess Start(params string[] arguments) =>
        ChildProcess.Start("The crash host", "ProcessKit.CrashHost", Patience, arguments);

    /// <summary>Waits until the host opened the store and deployed the process (its "ready" line).</summary>
    public static Task WaitReadyAsync(this ChildProcess child, CancellationToken cancellationToken) =>
        child.WaitForLineAsync("ready ", cancellationToken);
}
