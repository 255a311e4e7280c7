namespace ProcessKit.Benchmarks.Compare;

/// <summary>The comparison scenarios of issue 6, the same on every engine.</summary>
internal enum Scenario
{
    /// <summary>Five automated steps, each sets a field; start → end.</summary>
    Sequential,

    /// <summary>A step, an exclusive decision on data, one of two branch steps.</summary>
    Decision,

    /// <summary>A step, a wait for a correlated event, a step: park N, then publish N events.</summary>
    Wait,

    /// <summary>A step, a split into three branches (each sets a field), a join, a step.</summary>
    Parallel,

    /// <summary>N instances parked on one wait each: managed heap kept per instance after a full GC.</summary>
    Memory,

    /// <summary>A human task round trip: start, the task opens, it is found and completed with an outcome and data, the end.</summary>
    HumanTask,

    /// <summary>N instances parked on one open human task each: managed heap kept per instance after a full GC.</summary>
    TaskMemory,
}

/// <summary>What the scenarios have in common.</summary>
internal static class ScenarioKinds
{
    /// <summary>Whether <paramref name="scenario"/> measures the heap kept per parked instance (one run, no rate) rather than a rate.</summary>
    public static bool KeepsMemory(this Scenario scenario) => scenario is Scenario.Memory or Scenario.TaskMemory;
}
