using ProcessKit.Processes;

namespace ProcessKit.PostgreSql.Tests.MultiNode;

/// <summary>
/// Nodes of the multi-node test as child processes (<c>dotnet ProcessKit.MultiNodeHost.dll ...</c>): stdin takes
/// commands ("continue", "stop"), and a node can be stopped (SIGSTOP), continued (SIGCONT) or killed (SIGKILL).
/// </summary>
internal static class NodeProcess
{
    /// <summary>The longest a test waits for one line or an exit (never reached when it works).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    /// <summary>Starts a node on the database; dispose it to kill it if it still runs, stopped or not.</summary>
    public static ChildProcess Start(string name, string connectionString, params string[] more) =>
        ChildProcess.Start(name, "ProcessKit.MultiNodeHost", Patience, ["--postgres", connectionString, "--node", name, .. more]);
}
