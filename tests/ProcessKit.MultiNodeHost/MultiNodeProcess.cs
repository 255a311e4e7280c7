using ProcessKit.Definitions;

namespace ProcessKit.MultiNodeHost;

/// <summary>
/// The process the multi-node test runs: three asynchronous automated steps (jobs) one after the other, then the end.
/// Every job is leased by one node, run, and completed under its lease. Shared by the node program and the test.
/// </summary>
internal static class MultiNodeProcess
{
    public const string Id = "multinode.order";
    public const string Handler = "multinode.work";

    /// <summary>The jobs' step ids, in order.</summary>
    public static readonly string[] Steps = ["reserve", "charge", "ship"];

    /// <summary>The table where handlers record every run, outside the engine's transactions.</summary>
    public const string RunsTable = "public.multinode_runs";

    /// <summary>Creates the runs table; the test runs it once before the nodes start.</summary>
    public const string CreateRunsTable = $"""
        CREATE TABLE {RunsTable} (
            run bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            node text NOT NULL,
            instance_id bigint NOT NULL,
            step text NOT NULL,
            attempt integer NOT NULL,
            idempotency_key text NOT NULL);
        CREATE INDEX multinode_runs_by_key ON {RunsTable} (idempotency_key);
        """;

    public static ProcessDefinition Build()
    {
        var p = ProcessBuilder.Create(Id, "Multi-node order");
        AutomatedStepHandle? previous = null;
        foreach (var step in Steps)
        {
            var job = p.Automated(step, "Do " + step, Handler).Asynchronous();
            previous?.Then(job);
            previous = job;
        }

        previous!.Then(p.End("done", "Done").Outcome("Shipped"));
        return p.Build();
    }
}
